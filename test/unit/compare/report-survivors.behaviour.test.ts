// The terminal report of compare-compose, the cases the first behaviour tests left open
// (issue #21): its exact layout, the ignored line, findings without a manifest location.
import { describe, expect, it } from "vitest";
import { compareYaml, deployment } from "./compare-yaml.js";
import { formatReport } from "../../../src/compare/report.js";
import { makeStyle } from "../../../src/ui/style.js";

const plain = makeStyle(false);

describe("formatReport layout", () => {
  it("an equivalent pair, line by line: no ignored line, one blank line before the summary", () => {
    const r = compareYaml("services:\n  api: { image: a/api }\n", deployment("api", "{ name: api, image: a/api }"));
    expect(formatReport(r, plain, "h").split("\n")).toEqual([
      "h",
      "",
      "✓ api ↔ Deployment/api",
      "    ✓ Deployment/api",
      "    ✓ image a/api",
      "    ✓ replicas 1",
      "",
      "✓ equivalent — 1 service: 0 errors, 0 warnings, 0 notes",
    ]);
  });
  it("live and ignored findings together: the ignored line counts and names only the ignored ones", () => {
    const r = compareYaml("services:\n  api: { image: a/api }\n", deployment("api", "{ name: api, image: a/other, env: [{ name: A, value: x }] }"), { ignore: ["env.extra"] });
    const out = formatReport(r, plain, "h").split("\n");
    expect(out).toContain("    1 ignored (env.extra)");
    expect(out.filter((l) => /^ +\d+ ignored \(/.test(l))).toEqual(["    1 ignored (env.extra)"]);
    expect(out.at(-1)).toBe("✗ drift found — 1 service: 1 error, 0 warnings, 0 notes, 1 ignored (exit 3)");
    const live = compareYaml("services:\n  api: { image: a/api }\n", deployment("api", "{ name: api, image: a/other }"));
    expect(formatReport(live, plain, "h")).not.toContain("ignored");
  });
  it("a finding with no place in the manifests prints no location line", () => {
    const r = compareYaml("services:\n  api: { image: a/api }\n  gone: { image: a/gone }\n", deployment("api", "{ name: api, image: a/api }"));
    const out = formatReport(r, plain, "h").split("\n");
    const at = out.indexOf("✗ gone");
    expect(out.slice(at, at + 3)).toEqual([
      "✗ gone",
      '    ✗ service "gone" has no workload in the manifests [service.missing]',
      "        fix: add a workload for it (a Job for one-shot services), or map it in devenv.ts compare.map",
    ]);
    expect(out.join("\n")).not.toContain("undefined");
  });
});

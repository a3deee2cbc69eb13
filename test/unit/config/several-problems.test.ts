// A devenv.ts with several mistakes reports all of them at once, each with where and how to fix.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { validateEnv } from "../../../src/config/load.js";
import { semanticIssues } from "../../../src/config/validate.js";
import { envSchema } from "../../../src/config/schema.js";
import { DevenvError } from "../../../src/errors/devenv-error.js";
import { writeFiles } from "../compose/write-files.js";

const raw = {
  name: "demo",
  cluster: { ports: { http: 8080, https: 8080 } },
  images: { api: { image: "demo/api", context: "nope" } },
  manifests: { kustomize: "k8s/missing" },
};

describe("several problems", () => {
  it("semanticIssues lists every problem, not only the first", () => {
    const dir = writeFiles({ "x.txt": "" });
    const problems = semanticIssues(envSchema.parse(raw), dir);
    expect(problems.map((p) => p.path.join("."))).toEqual(["cluster.ports.https", "images.api.context", "manifests.kustomize"]);
    expect(problems.every((p) => p.message.length > 0)).toBe(true);
  });
  it("the error names the first, counts the others and details each with where and hint", () => {
    const dir = writeFiles({ "x.txt": "" });
    let error: unknown;
    try {
      validateEnv(raw, join(dir, "devenv.ts"), "");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DevenvError);
    const e = error as DevenvError;
    expect(e.message).toBe("cluster.ports.http and cluster.ports.https are both 8080 (and 2 more problems, below)");
    expect(e.exitCode).toBe(2);
    expect(e.where).toMatch(/devenv\.ts \(cluster\.ports\.https\)$/);
    const details = e.details!.split("\n");
    expect(details[0]).toMatch(/^images\.api\.context: directory not found/);
    expect(details[1]).toMatch(/^ {2}at .*devenv\.ts \(images\.api\.context\)$/);
    expect(details[2]).toBe("  hint: the path is relative to the devenv.ts file");
    expect(e.details).toMatch(/manifests\.kustomize: directory not found[\s\S]*at .*\(manifests\.kustomize\)/);
  });
  it("one problem: no count, no details", () => {
    const dir = writeFiles({ "x.txt": "" });
    expect(() => validateEnv({ name: "demo", cluster: { ports: { http: 8080, https: 8080 } } }, join(dir, "devenv.ts"), "")).toThrow(
      expect.objectContaining({ message: "cluster.ports.http and cluster.ports.https are both 8080", details: undefined }),
    );
  });
});

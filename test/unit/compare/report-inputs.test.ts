// compare-compose in process: the report a user reads, and where the inputs come from (flags
// first, then devenv.ts).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareYaml, deployment as deploy } from "./compare-yaml.js";
import { formatReport, summaryLine } from "../../../src/compare/report.js";
import { resolveInputs } from "../../../src/compare/inputs.js";
import { makeStyle } from "../../../src/ui/style.js";
import { writeFiles } from "../compose/write-files.js";

const plain = makeStyle(false);

describe("formatReport", () => {
  it("an equivalent pair: ✓ lines and an equivalent summary", () => {
    const r = compareYaml("services:\n  api: { image: a/api }\n", deploy("api", "{ name: api, image: a/api }"));
    const out = formatReport(r, plain, "compose ↔ k8s");
    expect(out.split("\n").slice(0, 3)).toEqual(["compose ↔ k8s", "", "✓ api ↔ Deployment/api"]);
    expect(out).toContain("    ✓ image a/api");
    expect(out.split("\n").at(-1)).toBe("✓ equivalent — 1 service: 0 errors, 0 warnings, 0 notes");
  });
  it("drift: ✗ on the service, each finding with its rule, where and fix, and exit 3 in the summary", () => {
    const r = compareYaml("services:\n  api: { image: a/api, environment: { MODE: fast } }\n  gone: { image: a/gone }\n", deploy("api", "{ name: api, image: a/other, env: [{ name: EXTRA, value: x }] }"));
    const out = formatReport(r, plain, "h");
    expect(out).toContain("✗ api ↔ Deployment/api");
    expect(out).toMatch(/ {4}✗ image: compose a\/api ≠ k8s a\/other \[image\.mismatch\]/);
    expect(out).toMatch(/ {4}i only in Deployment\/api: EXTRA \[env\.extra\]/);
    expect(out).toMatch(/ {8}fix: use the same image repository/);
    expect(out).toMatch(/✗ gone\n {4}✗ service "gone" has no workload in the manifests \[service\.missing\]/);
    expect(out.split("\n").at(-1)).toBe("✗ drift found — 2 services: 3 errors, 0 warnings, 1 note (exit 3)");
  });
  it("a service with only warnings gets !, ignored findings are counted by rule", () => {
    const compose = "services:\n  api: { image: a/api, environment: { MODE: fast }, deploy: { replicas: 2 } }\n";
    const r = compareYaml(compose, deploy("api", "{ name: api, image: a/api, env: [{ name: MODE, value: fast }] }"), { ignore: ["env.extra"] });
    const out = formatReport(r, plain, "h");
    expect(out).toContain("! api ↔ Deployment/api");
    expect(out).toMatch(/ {4}! replicas: compose 2 ≠ k8s 1 \[replicas\.mismatch\]/);
    const ignored = compareYaml("services:\n  api: { image: a/api }\n", deploy("api", "{ name: api, image: a/api, env: [{ name: A, value: x }] }"), { ignore: ["env.extra"] });
    expect(formatReport(ignored, plain, "h")).toContain("    1 ignored (env.extra)");
    expect(summaryLine(ignored, plain)).toBe("✓ equivalent — 1 service: 0 errors, 0 warnings, 0 notes, 1 ignored");
  });
  it("colour only when asked", () => {
    const r = compareYaml("services:\n  api: { image: a/api }\n", deploy("api", "{ name: api, image: a/api }"));
    expect(formatReport(r, plain, "h")).not.toContain("\x1b[");
    expect(formatReport(r, makeStyle(true), "h")).toContain("\x1b[32m✓\x1b[39m");
  });
});

describe("resolveInputs", () => {
  it("flags alone: compose files and the k8s directory relative to the working directory", async () => {
    const dir = writeFiles({ "c.yml": "services: {}\n" });
    const i = await resolveInputs({ compose: ["c.yml"], k8s: "k8s", envFile: ".env.dev", ignore: ["env.extra"] }, "devenv.ts", dir);
    expect(i.compose).toMatchObject({ files: [join(dir, "c.yml")], cwd: dir, envFile: join(dir, ".env.dev") });
    expect(i.k8s).toEqual([join(dir, "k8s")]);
    expect(i.env).toBeUndefined();
    expect(i.options).toMatchObject({ ignore: ["env.extra"], map: {}, devSecrets: {}, images: [] });
  });
  it("without flags nor devenv.ts: says what to pass", async () => {
    const dir = writeFiles({ "x.txt": "" });
    await expect(resolveInputs({}, "devenv.ts", dir)).rejects.toMatchObject({ message: expect.stringContaining("pass --compose FILE and --k8s DIR") });
    await expect(resolveInputs({}, "devenv.ts", dir, false)).rejects.toMatchObject({ message: expect.stringContaining("no compose file: pass --compose FILE, or run where") });
    await expect(resolveInputs({ compose: ["c.yml"] }, "devenv.ts", dir)).rejects.toMatchObject({ message: expect.stringMatching(/no inputs/) });
  });
  it("convert needs no manifests: compose flags are enough", async () => {
    const dir = writeFiles({ "c.yml": "services: {}\n" });
    const i = await resolveInputs({ compose: ["c.yml"] }, "devenv.ts", dir, false);
    expect(i.k8s).toEqual([]);
  });
  it("from devenv.ts: compose files, manifests, compare settings, images and dev secrets", async () => {
    const dir = writeFiles({
      "docker-compose.yml": "services:\n  api: { build: ./api }\n",
      "api/Dockerfile": "FROM scratch\n",
      "k8s/kustomization.yaml": "resources: []\n",
      ".env": "API_TOKEN=from-dotenv\n",
      "devenv.ts": `export default {
  name: "shop",
  compose: { files: ["docker-compose.yml"] },
  manifests: { kustomize: "k8s" },
  images: { api: { image: "shop/api", context: "api" } },
  compare: { ignore: ["env.extra"], map: { api: "backend" } },
  secrets: { app: { literal: "lit", token: { env: "API_TOKEN" }, gen: { generate: 16 } } },
};
`,
    });
    const i = await resolveInputs({ ignore: ["volume.bind-mount"] }, "devenv.ts", dir);
    expect(i.env?.config.name).toBe("shop");
    expect(i.compose.files).toEqual([join(dir, "docker-compose.yml")]);
    expect(i.k8s).toEqual([join(dir, "k8s")]);
    expect(i.options).toMatchObject({
      namespace: "shop",
      map: { api: "backend" },
      ignore: ["env.extra", "volume.bind-mount"],
      images: [{ repository: "shop/api", context: join(dir, "api"), dockerfile: "Dockerfile" }],
      devSecrets: { app: { literal: "lit", token: "from-dotenv", gen: null } },
    });
    // A flag overrides the manifests devenv.ts names.
    const j = await resolveInputs({ compose: ["docker-compose.yml"] }, "devenv.ts", dir);
    expect(j.k8s).toEqual([join(dir, "k8s")]);
  });
  it("devenv.ts without compose files or manifests says what to add", async () => {
    const noCompose = writeFiles({ "devenv.ts": `export default { name: "shop" };\n` });
    await expect(resolveInputs({}, "devenv.ts", noCompose)).rejects.toMatchObject({ message: "no compose files: devenv.ts has no compose.files" });
    const noK8s = writeFiles({ "c.yml": "services: {}\n", "devenv.ts": `export default { name: "shop", compose: { files: ["c.yml"] } };\n` });
    await expect(resolveInputs({}, "devenv.ts", noK8s)).rejects.toMatchObject({ message: "no Kubernetes manifests: devenv.ts has no manifests" });
    expect((await resolveInputs({}, "devenv.ts", noK8s, false)).k8s).toEqual([]);
  });
});

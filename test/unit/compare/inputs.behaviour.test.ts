// Where compare-compose gets its inputs when devenv.ts is there: profiles mapped to kustomize
// components, env files, devenv.ts secrets taken from the environment, plain manifest files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resolveInputs } from "../../../src/compare/inputs.js";
import { writeFiles } from "../compose/write-files.js";

const devenv = (body: string) => `export default {\n  name: "shop",\n  compose: { files: ["docker-compose.yml"] },\n${body}\n};\n`;
afterEach(() => {
  delete process.env.DEVENV_TEST_TOKEN;
});

describe("compose profiles ↔ kustomize components", () => {
  const files = (body: string) =>
    writeFiles({
      "docker-compose.yml": "services: {}\n",
      "k8s/overlays/dev/kustomization.yaml": "resources: []\n",
      "k8s/components/debug/kustomization.yaml": "kind: Component\n",
      "devenv.ts": devenv(body),
    });
  it("an enabled profile with a component: the manifests become overlay + component, in a kustomization of their own", async () => {
    const dir = files(`  manifests: { kustomize: "k8s/overlays/dev" },\n  compare: { profiles: { debug: "k8s/components/debug" } },`);
    const i = await resolveInputs({ profile: ["debug", "other"] }, "devenv.ts", dir);
    expect(i.components).toEqual([join(dir, "k8s/components/debug")]);
    expect(i.compose.profiles).toEqual(["debug", "other"]);
    expect(i.k8s).toHaveLength(1);
    const k = readFileSync(join(i.k8s[0]!, "kustomization.yaml"), "utf8").split("\n");
    expect(k[0]).toBe("apiVersion: kustomize.config.k8s.io/v1beta1");
    expect(k).toContain("kind: Kustomization");
    expect(k).toContain("namespace: shop");
    expect(k.slice(k.indexOf("resources:") + 1, k.indexOf("resources:") + 2)[0]).toMatch(/^ {2}- (\.\.\/)+.*k8s\/overlays\/dev$/);
    expect(k.slice(k.indexOf("components:") + 1, k.indexOf("components:") + 2)[0]).toMatch(/^ {2}- (\.\.\/)+.*k8s\/components\/debug$/);
  });
  it("no profile enabled: the manifests as they are, no components", async () => {
    const dir = files(`  manifests: { kustomize: "k8s/overlays/dev" },\n  compare: { profiles: { debug: "k8s/components/debug" } },`);
    const i = await resolveInputs({}, "devenv.ts", dir);
    expect(i.k8s).toEqual([join(dir, "k8s/overlays/dev")]);
    expect(i.components).toBeUndefined();
    expect(i.compose.profiles).toBeUndefined();
  });
  it("profiles from devenv.ts compose.profiles when no flag is given", async () => {
    const dir = writeFiles({
      "docker-compose.yml": "services: {}\n",
      "k8s/kustomization.yaml": "resources: []\n",
      "c/kustomization.yaml": "kind: Component\n",
      "devenv.ts": `export default { name: "shop", compose: { files: ["docker-compose.yml"], profiles: ["debug"] }, manifests: { kustomize: "k8s" }, compare: { profiles: { debug: "c" } } };\n`,
    });
    expect((await resolveInputs({}, "devenv.ts", dir)).components).toEqual([join(dir, "c")]);
  });
  it("components need one kustomize directory", async () => {
    const dir = writeFiles({
      "docker-compose.yml": "services: {}\n",
      "a.yaml": "",
      "c/kustomization.yaml": "kind: Component\n",
      "devenv.ts": devenv(`  manifests: { files: ["a.yaml"] },\n  compare: { profiles: { debug: "c" } },`),
    });
    await expect(resolveInputs({ profile: ["debug"] }, "devenv.ts", dir)).rejects.toMatchObject({
      message: "compose profiles debug map to kustomize components (compare.profiles), but the manifests are not one kustomize directory",
      hint: "point manifests (or --k8s) at a kustomize overlay, or drop compare.profiles",
      exitCode: 2,
    });
  });
});

describe("files and secrets from devenv.ts", () => {
  it("plain manifest files, the compose env file and project name", async () => {
    const dir = writeFiles({
      "docker-compose.yml": "services: {}\n",
      "k8s/a.yaml": "",
      "k8s/b.yaml": "",
      "dev.env": "X=1\n",
      "devenv.ts": `export default { name: "shop", compose: { files: ["docker-compose.yml"], envFile: "dev.env", projectName: "proj" }, manifests: { files: ["k8s/a.yaml", "k8s/b.yaml"] } };\n`,
    });
    const i = await resolveInputs({}, "devenv.ts", dir);
    expect(i.k8s).toEqual([join(dir, "k8s/a.yaml"), join(dir, "k8s/b.yaml")]);
    expect(i.compose).toMatchObject({ envFile: join(dir, "dev.env"), projectName: "proj" });
    const flagged = await resolveInputs({ envFile: "other.env", k8s: "k8s/a.yaml" }, "devenv.ts", dir);
    expect(flagged.compose.envFile).toBe(join(dir, "other.env"));
    expect(flagged.k8s).toEqual([join(dir, "k8s/a.yaml")]);
  });
  it("a secret { env } comes from the shell first, then the compose env file; unset is null", async () => {
    const dir = writeFiles({
      "docker-compose.yml": "services: {}\n",
      "k8s/kustomization.yaml": "resources: []\n",
      "dev.env": "DEVENV_TEST_TOKEN=from-file\nOTHER=o\n",
      "devenv.ts": `export default { name: "shop", compose: { files: ["docker-compose.yml"], envFile: "dev.env" }, manifests: { kustomize: "k8s" }, secrets: { app: { a: { env: "DEVENV_TEST_TOKEN" }, b: { env: "OTHER" }, c: { env: "DEVENV_TEST_NOPE" } } } };\n`,
    });
    expect((await resolveInputs({}, "devenv.ts", dir)).options.devSecrets).toEqual({ app: { a: "from-file", b: "o", c: null } });
    process.env.DEVENV_TEST_TOKEN = "from-shell";
    expect((await resolveInputs({}, "devenv.ts", dir)).options.devSecrets).toEqual({ app: { a: "from-shell", b: "o", c: null } });
  });
  it("devenv.ts order and ignoreFor reach the comparison", async () => {
    const dir = writeFiles({
      "docker-compose.yml": "services: {}\n",
      "k8s/kustomization.yaml": "resources: []\n",
      "devenv.ts": devenv(`  manifests: { kustomize: "k8s" },\n  order: { "deployment/api": { after: ["job/migrate"] } },\n  compare: { ignoreFor: { api: ["env"] } },`),
    });
    const i = await resolveInputs({}, "devenv.ts", dir);
    expect(i.options).toMatchObject({ order: { "deployment/api": { after: ["job/migrate"] } }, ignoreFor: { api: ["env"] }, ignore: [] });
  });
  it("flags for both sides: devenv.ts is not read even when it is broken", async () => {
    const dir = writeFiles({ "c.yml": "services: {}\n", "devenv.ts": "this is not TypeScript {{{\n" });
    const i = await resolveInputs({ compose: ["c.yml"], k8s: "k8s" }, "devenv.ts", dir);
    expect(i.env).toBeUndefined();
    expect(i.options.devSecrets).toEqual({});
  });
  it("--k8s given twice: both are compared, none is dropped", async () => {
    const dir = writeFiles({ "c.yml": "services: {}\n" });
    const i = await resolveInputs({ compose: ["c.yml"], k8s: ["app", "agent/daemonset.yaml"] }, "devenv.ts", dir);
    expect(i.k8s).toEqual([`${dir}/app`, `${dir}/agent/daemonset.yaml`]);
  });
});

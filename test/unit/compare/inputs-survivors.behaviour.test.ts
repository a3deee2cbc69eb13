// Where compare-compose and convert take their inputs from, the cases the first behaviour tests
// left open (issue #21): a devenv.ts outside the working directory, a devenv.ts without a
// compose section, flags alone with --profile, profiles over plain files, the temporary
// kustomization, and .env interpolation of devenv.ts secrets. Every call runs inside `it`.
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { resolveInputs } from "../../../src/compare/inputs.js";
import { writeFiles } from "../compose/write-files.js";

afterEach(() => {
  delete process.env.DEVENV_TEST_BASE;
});

describe("paths", () => {
  it("--env pointing into another directory: devenv.ts paths are relative to that file, not to the working directory", async () => {
    const dir = writeFiles({
      "proj/docker-compose.yml": "services: {}\n",
      "proj/k8s/kustomization.yaml": "resources: []\n",
      "proj/devenv.ts": `export default { name: "shop", compose: { files: ["docker-compose.yml"] }, manifests: { kustomize: "k8s" } };\n`,
    });
    const i = await resolveInputs({}, "proj/devenv.ts", dir);
    expect(i.compose.files).toEqual([join(dir, "proj/docker-compose.yml")]);
    expect(i.k8s).toEqual([join(dir, "proj/k8s")]);
    expect(i.compose.cwd).toBe(dir);
  });
  it("a devenv.ts without a compose section and --compose: the flag's file, no profiles, env file or project name", async () => {
    const dir = writeFiles({
      "c.yml": "services: {}\n",
      "k8s/kustomization.yaml": "resources: []\n",
      "devenv.ts": `export default { name: "shop", manifests: { kustomize: "k8s" } };\n`,
    });
    const i = await resolveInputs({ compose: ["c.yml"] }, "devenv.ts", dir);
    expect(i.compose).toEqual({ files: [join(dir, "c.yml")], cwd: dir, envFile: undefined, profiles: undefined, projectName: undefined });
    expect(i.k8s).toEqual([join(dir, "k8s")]);
    expect(i.components).toBeUndefined();
  });
});

describe("profiles", () => {
  it("flags alone: no profile unless --profile, and --profile without devenv.ts maps to no component", async () => {
    const dir = writeFiles({ "c.yml": "services: {}\n" });
    expect((await resolveInputs({ compose: ["c.yml"], k8s: "k8s" }, "devenv.ts", dir)).compose.profiles).toBeUndefined();
    const i = await resolveInputs({ compose: ["c.yml"], k8s: "k8s", profile: ["debug"] }, "devenv.ts", dir);
    expect(i.compose.profiles).toEqual(["debug"]);
    expect(i.components).toBeUndefined();
    expect(i.k8s).toEqual([join(dir, "k8s")]);
  });
  it("components over several manifest paths are refused, even when the first is a kustomize directory", async () => {
    const dir = writeFiles({
      "docker-compose.yml": "services: {}\n",
      "k8s/overlays/dev/kustomization.yaml": "resources: []\n",
      "extra.yaml": "",
      "c/kustomization.yaml": "kind: Component\n",
      "devenv.ts": `export default { name: "shop", compose: { files: ["docker-compose.yml"] }, manifests: { files: ["k8s/overlays/dev", "extra.yaml"] }, compare: { profiles: { debug: "c" } } };\n`,
    });
    await expect(resolveInputs({ profile: ["debug"] }, "devenv.ts", dir)).rejects.toMatchObject({
      message: "compose profiles debug map to kustomize components (compare.profiles), but the manifests are not one kustomize directory",
      where: join(dir, "devenv.ts"),
      exitCode: 2,
    });
  });
  it("the kustomization of overlay + components is written in the system temp directory", async () => {
    const dir = writeFiles({
      "docker-compose.yml": "services: {}\n",
      "k8s/kustomization.yaml": "resources: []\n",
      "c/kustomization.yaml": "kind: Component\n",
      "devenv.ts": `export default { name: "shop", compose: { files: ["docker-compose.yml"] }, manifests: { kustomize: "k8s" }, compare: { profiles: { debug: "c" } } };\n`,
    });
    const i = await resolveInputs({ profile: ["debug"] }, "devenv.ts", dir);
    expect(dirname(i.k8s[0]!)).toBe(tmpdir());
  });
});

describe("devenv.ts secrets", () => {
  it("an { env } secret read from the compose env file is interpolated with the shell's variables, as compose does", async () => {
    const dir = writeFiles({
      "docker-compose.yml": "services: {}\n",
      "k8s/kustomization.yaml": "resources: []\n",
      "dev.env": "DEVENV_TEST_URL=postgres://${DEVENV_TEST_BASE}/app\n",
      "devenv.ts": `export default { name: "shop", compose: { files: ["docker-compose.yml"], envFile: "dev.env" }, manifests: { kustomize: "k8s" }, secrets: { app: { url: { env: "DEVENV_TEST_URL" } } } };\n`,
    });
    process.env.DEVENV_TEST_BASE = "db.local";
    expect((await resolveInputs({}, "devenv.ts", dir)).options.devSecrets).toEqual({ app: { url: "postgres://db.local/app" } });
  });
});

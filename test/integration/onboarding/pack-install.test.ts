// The onboarding path of a repo that is not a Node project: the package as npm publishes it
// (`npm pack`), installed globally into a temp prefix (one install; dependencies come from the
// registry), then `devenv init` and `devenv up --dry-run` in a copy of test/fixtures/init/python-app
// (a Python service, compose.yaml with its override and an extra compose file beside it, a plain
// manifest folder, an unrelated Dockerfile), where no package.json and no node_modules exist.
// The package is built in a staging copy, so the checkout's dist/ is never touched.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../helpers/cli.js";

const tmp = mkdtempSync(join(tmpdir(), "devenv-onboarding-"));
const stage = join(tmp, "stage");
const prefix = join(tmp, "global");
const project = join(tmp, "work", "python-app");
const bin = join(prefix, "bin", "devenv");
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (cmd: string, args: string[], cwd: string, timeout = 600_000) => execa(cmd, args, { cwd, reject: false, timeout, env: { NO_COLOR: "1", npm_config_update_notifier: "false" } });

describe("npm pack → npm i -g → devenv init → devenv up --dry-run, outside a Node project", () => {
  let tarball = "";

  beforeAll(async () => {
    mkdirSync(stage);
    for (const p of ["package.json", "bin", "src", "clusters", "README.md", "tsconfig.json", "tsconfig.build.json"]) cpSync(join(repoRoot, p), join(stage, p), { recursive: true });
    symlinkSync(join(repoRoot, "node_modules"), join(stage, "node_modules"), "dir");
    // tsc emits even when a file elsewhere in src/ is mid-edit; the CLI entry must exist.
    await run("node", [join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], stage);
    expect(existsSync(join(stage, "dist/cli/main.js")) && existsSync(join(stage, "dist/index.js"))).toBe(true);
    const pack = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", tmp], stage);
    expect(pack.exitCode, pack.stderr).toBe(0);
    tarball = join(tmp, readdirSync(tmp).find((f) => f.endsWith(".tgz"))!);
    const install = await run("npm", ["i", "-g", "--prefix", prefix, tarball, "--no-audit", "--no-fund", "--prefer-offline"], tmp, 900_000);
    expect(install.exitCode, install.stderr).toBe(0);
    cpSync(join(repoRoot, "test/fixtures/init/python-app"), project, { recursive: true });
  }, 1_200_000);

  it("the tarball is named devenv-k8s and installs the `devenv` command", () => {
    expect(tarball).toMatch(/devenv-k8s-\d+\.\d+\.\d+\.tgz$/);
    expect(existsSync(bin)).toBe(true);
  });

  it("init chooses compose's files, the plain manifest folder, the built image as the manifests name it, and ignores .devenv/", async () => {
    expect(existsSync(join(project, "package.json")) || existsSync(join(project, "node_modules"))).toBe(false);
    const r = await run(bin, ["init"], project, 60_000);
    expect(r.exitCode, r.stderr).toBe(0);
    const text = readFileSync(join(project, "devenv.ts"), "utf8");
    expect(text).toContain('import { defineEnv } from "devenv-k8s";');
    expect(text).toContain('compose: { files: ["compose.yaml", "compose.override.yaml"] },');
    expect(text).toContain('// compose: { files: ["compose.yaml", "compose.override.yaml", "docker-compose.logging.yml"] },');
    expect(text).toContain('manifests: { files: ["k8s"] },');
    expect(text).toContain('"api": { image: "pyshop/api", context: "app", dockerfile: "Dockerfile" },');
    expect(text).toContain("// tools/Dockerfile: no compose service builds it and no manifest names its image");
    expect(readFileSync(join(project, ".gitignore"), "utf8")).toMatch(/^\.devenv\/$/m);
    expect(r.stderr).toMatch(/next:[\s\S]*devenv up --dry-run/);
  });

  it("up --dry-run loads the written devenv.ts (no node_modules here) and plans the build, the manifests and the compose files", async () => {
    const cluster = await run(bin, ["up", "--dry-run"], project, 120_000);
    expect(cluster.exitCode, cluster.stderr).toBe(0);
    expect(cluster.stdout).toMatch(/build pyshop\/api:devenv-[0-9a-f]{12} \(images\.api, app\/Dockerfile\)/);
    expect(cluster.stdout).toMatch(/render k8s: 3 objects/);
    // The installed package is JavaScript: the written devenv.ts is compiled in-process, tsx is not loaded.
    const compose = await execa(bin, ["up", "--dry-run", "--target", "compose"], { cwd: project, reject: false, timeout: 120_000, env: { NO_COLOR: "1", DEVENV_DEBUG: "devenv:config" } });
    expect(compose.exitCode, compose.stderr).toBe(0);
    expect(compose.stderr).toContain("devenv.ts compiled in-process (no tsx)");
    expect(compose.stdout).toMatch(/-f \S*compose\.yaml -f \S*compose\.override\.yaml up/);
    expect(compose.stdout).not.toContain("docker-compose.logging.yml");
  });
});

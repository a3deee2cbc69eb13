// The CLI as a user runs it: `node bin/devenv.js ...` in a child process.
import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { devenv } from "../../helpers/cli.js";

describe("devenv CLI", () => {
  it("--help lists every command and the exit codes", async () => {
    const r = await devenv(["--help"]);
    expect(r.code).toBe(0);
    for (const c of ["up", "down", "reset", "compare-compose", "convert", "doctor", "status", "logs", "seed", "init"]) {
      expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, "m"));
    }
    expect(r.stdout).toMatch(/Exit codes: 0 ok, 1 failure, 2 bad usage or config, 3 drift found/);
  });

  it("each command has help with an example", async () => {
    const r = await devenv(["compare-compose", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--compose <file>/);
    expect(r.stdout).toMatch(/Example:\n {2}devenv compare-compose/);
  });

  it("an unknown command or flag is a usage error (exit 2)", async () => {
    expect((await devenv(["uup"])).code).toBe(2);
    const r = await devenv(["up", "--target", "moon"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are cluster, compose/);
  });

  it("a config error prints one message without a stack trace, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "devenv-cli-"));
    writeFileSync(join(dir, "devenv.ts"), `export default {\n  name: "demo",\n  cluster: { provider: "minikube" },\n};\n`);
    const r = await devenv(["up", "--dry-run"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/✗ error: cluster\.provider is "minikube"/);
    expect(r.stderr).toMatch(/at .*devenv\.ts:3:\d+ \(cluster\.provider\)/);
    expect(r.stderr).toMatch(/hint: use "kind", "k3d", or "existing"/);
    expect(r.stderr).not.toMatch(/ {4}at .*\.js:\d+/); // no stack frames
    const v = await devenv(["up", "--dry-run", "--verbose"], { cwd: dir });
    expect(v.stderr).toMatch(/ {4}at /); // --verbose shows the stack
  });

  it("--json errors are one object on stdout", async () => {
    const dir = mkdtempSync(join(tmpdir(), "devenv-cli-"));
    const r = await devenv(["up", "--dry-run", "--json"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: "error", error: { message: expect.stringMatching(/environment file not found/), exitCode: 2 } });
  });

  it("up --dry-run prints the plan of the embedded default without touching anything", async () => {
    const r = await devenv(["up", "--dry-run", "--json"]);
    expect(r.code).toBe(0);
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({ outcome: "plan", environment: "agentforge", target: "cluster" });
    const ids = plan.steps.map((s: { id: string }) => s.id);
    expect(ids.slice(0, 2).sort()).toEqual(["build-images", "ensure-cluster"]);
    expect(ids.indexOf("seed")).toBeGreaterThan(ids.indexOf("apply-data"));
    expect(ids.indexOf("apply-apps")).toBeGreaterThan(ids.indexOf("seed"));
  });

  it("--only restricts the steps and rejects unknown ids", async () => {
    const ok = await devenv(["up", "--dry-run", "--json", "--only", "build-images"]);
    expect(JSON.parse(ok.stdout).steps.map((s: { id: string }) => s.id)).toEqual(["build-images"]);
    const bad = await devenv(["up", "--dry-run", "--only", "nope"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--only names unknown step: nope/);
  });

  it("logs of an unknown compose service names the known ones (exit 2, no stack)", async () => {
    const r = await devenv(["logs", "nosuch", "--target", "compose"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no compose service "nosuch"/);
    expect(r.stderr).toMatch(/hint: services: .*backend/);
    expect(r.stderr).not.toMatch(/ {4}at /);
  });

  it("NO_COLOR and --no-color keep ANSI codes out", async () => {
    const r = await devenv(["doctor", "--no-color"], { env: { FORCE_COLOR: "1" } });
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });
});

describe("the built CLI (dist/)", () => {
  it("starts from dist and prints help", async () => {
    const r = await devenv(["--version"], { fromDist: true });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

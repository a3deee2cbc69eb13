// reset/down plans, confirmation, and the CLI refusing to reset without a TTY or --yes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { confirm } from "../../../src/cluster/confirm.js";
import { resetPlan, resetScope } from "../../../src/lifecycle/reset.js";
import { devenv } from "../../helpers/cli.js";
import { testEnv } from "./env.js";

describe("reset plan", () => {
  it("defaults to data only; --cluster deletes the cluster; --all also the registry and .devenv/", () => {
    expect(resetScope({})).toBe("data");
    expect(resetScope({ cluster: true })).toBe("cluster");
    expect(resetScope({ cluster: true, all: true })).toBe("all");
    const env = testEnv({ cluster: { registry: { enabled: true } } });
    expect(resetPlan("data", env, "cluster").map((a) => a.action)).toEqual(["reset-data"]);
    // --cluster keeps the registry and its volume (the push cache); --all removes both, also after opting out.
    expect(resetPlan("cluster", env, "cluster")).toEqual([{ action: "delete-cluster", line: 'delete the kind cluster "devenv" and everything in it (the local registry "devenv-registry" and its volume devenv-registry-data stay: the image cache)' }]);
    expect(resetPlan("all", env, "cluster")).toEqual([
      { action: "delete-cluster", line: 'delete the kind cluster "devenv" and everything in it' },
      { action: "remove-registry", line: 'remove the local registry container "devenv-registry" and its storage volume devenv-registry-data (the pushed images), if devenv created them' },
      { action: "remove-state", line: "remove /project/.devenv" },
    ]);
    expect(resetPlan("all", testEnv(), "cluster").map((a) => a.action)).toEqual(["delete-cluster", "remove-registry", "remove-state"]);
    const optedOut = testEnv({ cluster: { registry: { enabled: false } } });
    expect(resetPlan("cluster", optedOut, "cluster")).toEqual([{ action: "delete-cluster", line: 'delete the kind cluster "devenv" and everything in it' }]);
  });

  it("never deletes an existing cluster", () => {
    const env = testEnv({ cluster: { provider: "existing", context: "staging" } });
    expect(() => resetPlan("cluster", env, "cluster")).toThrow('`devenv reset --cluster` would delete a cluster devenv did not create (context "staging")');
    expect(resetPlan("data", env, "cluster").map((a) => a.action)).toEqual(["reset-data"]);
  });
});

describe("confirm", () => {
  const tty = () => Object.assign(new PassThrough(), { isTTY: true });

  it("needs --yes without a terminal", async () => {
    await expect(confirm("Go?", { yes: false, command: "devenv reset --all", input: new PassThrough() })).rejects.toMatchObject({
      message: "`devenv reset --all` needs confirmation, and stdin is not a terminal",
      hint: "rerun it with --yes: `devenv reset --all --yes`",
      exitCode: 2,
    });
    expect(await confirm("Go?", { yes: true, command: "x", input: new PassThrough() })).toBe(true);
  });

  it("asks on a terminal: y goes ahead, anything else does not", async () => {
    for (const [answer, expected] of [["y\n", true], ["yes\n", true], ["\n", false], ["no\n", false]] as const) {
      const input = tty();
      const pending = confirm("Go?", { yes: false, command: "x", input, output: new PassThrough() });
      input.write(answer);
      expect(await pending).toBe(expected);
    }
  });
});

// Each spawns `node bin/devenv.js` on the sources: slow on a busy 2-core machine.
describe("devenv reset / down (CLI)", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "devenv-reset-"));
  writeFileSync(join(dir, "devenv.ts"), `export default { name: "demo", cluster: { registry: { enabled: true } } };\n`);

  it("reset without a TTY and without --yes is a usage error, and changes nothing", async () => {
    const r = await devenv(["reset", "--all"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/✗ error: `devenv reset --all` needs confirmation, and stdin is not a terminal/);
    expect(r.stderr).toMatch(/hint: rerun it with --yes/);
  });

  it("reset --dry-run prints the plan", async () => {
    const r = await devenv(["reset", "--cluster", "--dry-run"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('would delete the kind cluster "devenv" and everything in it (the local registry "devenv-registry" and its volume devenv-registry-data stay: the image cache)');
  });

  it("down --dry-run says what it would stop", async () => {
    expect((await devenv(["down", "--dry-run"], { cwd: dir })).stdout).toBe('would scale the Deployments and StatefulSets of "demo" in namespace demo to 0');
    expect((await devenv(["down", "--nodes", "--dry-run"], { cwd: dir })).stdout).toBe("would stop the node containers of kind cluster devenv");
  });
});

describe("registry on an existing cluster", () => {
  it("devenv's own registry container is a config error there: a remote cluster cannot reach localhost", async () => {
    const { wireRegistry } = await import("../../../src/cluster/ensure.js");
    const { providerFor } = await import("../../../src/cluster/provider-for.js");
    const env = testEnv({ cluster: { provider: "existing", context: "staging", registry: { enabled: true } } });
    await expect(wireRegistry(env, await providerFor(env), [])).rejects.toMatchObject({
      message: "devenv's registry container needs a kind or k3d cluster: an existing cluster cannot reach a registry on localhost",
      where: "/project/devenv.ts (cluster.registry)",
      exitCode: 2,
    });
  });
});

// The rest of issue 16's devenv.ts cases, through loadEnv: a sync source that is a symlink out
// of the build context, a node mount whose host path does not exist, the same key twice in an
// object literal (JavaScript keeps the last), an `order` cycle (named), `--env` naming a
// directory. Each: exit 2, what and where (file:line), how to fix, no stack trace.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnv } from "../../../src/config/load.js";
import { orderCycle } from "../../../src/config/validate.js";
import { planWaves } from "../../../src/kube/waves.js";
import { DevenvError } from "../../../src/errors/devenv-error.js";
import { formatError } from "../../../src/errors/report.js";
import { makeStyle } from "../../../src/ui/style.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "devenv-issue16-"));
  mkdirSync(join(dir, "svc", "src"), { recursive: true });
  writeFileSync(join(dir, "svc", "Dockerfile"), "FROM scratch\n");
  mkdirSync(join(dir, "outside"));
  symlinkSync(join(dir, "outside"), join(dir, "svc", "escape"));
  symlinkSync(join(dir, "svc", "src"), join(dir, "svc", "inside"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function loadBody(body: string): Promise<DevenvError> {
  const file = join(dir, `env-${n++}.ts`);
  writeFileSync(file, `import { defineEnv } from "devenv-k8s";\nexport default defineEnv({\n  name: "demo",\n${body}\n});\n`);
  const e = await loadEnv(file).then(() => undefined, (err: unknown) => err);
  if (!(e instanceof DevenvError)) throw new Error(`expected a DevenvError, got ${String(e)}`);
  return e;
}

function expectClear(e: DevenvError) {
  expect(e.exitCode).toBe(2);
  expect(e.hint).toBeTruthy();
  const printed = formatError(e, makeStyle(false), false);
  expect(printed).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  expect(printed).not.toMatch(/DevenvError:/);
}

describe("remaining devenv.ts cases of issue 16", () => {
  it("a sync.from that is a symlink leaving the build context", async () => {
    const e = await loadBody(`  images: { api: { image: "demo/api", context: "svc", sync: [{ from: "escape", to: "/app/x" }] } },`);
    expect(e.message).toMatch(/images\.api\.sync\[0\]\.from "escape" is a symlink to .*outside, outside the build context/);
    expect(e.where).toMatch(/:4:\d+ \(images\.api\.sync\.0\.from\)$/);
    expectClear(e);
  });

  it("a symlink that stays inside the context is fine", async () => {
    const file = join(dir, "ok-link.ts");
    writeFileSync(file, `export default { name: "demo", images: { api: { image: "demo/api", context: "svc", sync: [{ from: "inside", to: "/app/src" }] } } };\n`);
    await expect(loadEnv(file)).resolves.toBeTruthy();
  });

  it("a mounts.hostPath outside the project that does not exist", async () => {
    const e = await loadBody(`  cluster: { mounts: [{ hostPath: "../../no-such-dir-for-devenv", containerPath: "/data" }] },`);
    expect(e.message).toMatch(/cluster\.mounts\[0\]\.hostPath: not found: \/.*no-such-dir-for-devenv/);
    expect(e.where).toMatch(/:4:\d+ \(cluster\.mounts\.0\.hostPath\)$/);
    expectClear(e);
  });

  it("the same image key twice: refused at the second, naming the first", async () => {
    const e = await loadBody(`  images: {\n    api: { image: "demo/api", context: "svc" },\n    "api": { image: "demo/other", context: "svc" },\n  },`);
    expect(e.message).toMatch(/Duplicate key "api" in object literal \(first at line 5\): JavaScript keeps only the last one/);
    expect(e.where).toMatch(/env-\d+\.ts:6:5$/);
    expectClear(e);
  });

  it("an order cycle names its members", async () => {
    const e = await loadBody(`  order: {\n    "job/migrate": { after: ["deployment/api"] },\n    "deployment/api": { after: ["statefulset/db"] },\n    "statefulset/db": { after: ["job/migrate"] },\n  },`);
    expect(e.message).toBe("order hints form a cycle: job/migrate → deployment/api → statefulset/db → job/migrate");
    expect(e.where).toMatch(/:5:\d+ \(order\.job\/migrate\)$/);
    expectClear(e);
  });

  it("orderCycle finds none without a loop, and waves name the cycle too", () => {
    expect(orderCycle({ "job/a": { after: ["deployment/b"] }, "job/c": { after: ["deployment/b"] } })).toBeUndefined();
    const objs = ["a", "b"].map((name) => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name } }));
    expect(() => planWaves(objs, { "deployment/a": { after: ["deployment/b"] }, "deployment/b": { after: ["deployment/a"] } })).toThrow(/cycle: deployment\/a → deployment\/b → deployment\/a/);
  });

  it("--env naming a directory (or .) says to name the devenv.ts file", async () => {
    for (const name of [".", "svc"]) {
      const e = await loadEnv(name, dir).then(() => undefined, (err: unknown) => err);
      if (!(e instanceof DevenvError)) throw new Error(`expected a DevenvError, got ${String(e)}`);
      expect(e.message).toBe(`--env ${name} is a directory: name the devenv.ts file`);
      expect(e.hint).toMatch(/devenv\.ts/);
      expectClear(e);
    }
  });
});

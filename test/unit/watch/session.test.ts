// The session's own logic with an in-memory driver: batches arriving during a reload are
// merged into the next one, every target gets the same archive, one failing target does not
// stop the others, and a rebuild updates the image map. The real adapters are tested in
// test/integration/watch and kube-exec.test.ts.
import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReloadSession } from "../../../src/watch/session.js";
import type { SyncTarget, TargetDriver } from "../../../src/watch/target.js";
import type { BuiltImage } from "../../../src/model/index.js";
import type { ReloadReport } from "../../../src/watch/status.js";
import { envWith } from "./fixtures.js";

const root = mkdtempSync(join(tmpdir(), "devenv-session-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, "web", "src"), { recursive: true });
writeFileSync(join(root, "web", "Dockerfile"), "FROM x");
for (const f of ["a.js", "b.js", "c.js"]) writeFileSync(join(root, "web", "src", f), f);

const built = (tag: string): BuiltImage => ({ name: "web", repository: "demo/web", ref: `demo/web:${tag}`, id: `sha256:${tag}`, built: true });

function fakeDriver(calls: string[], slowMs = 0): TargetDriver {
  const target = (label: string, fail = false): SyncTarget => ({
    label,
    workdir: async () => "/app",
    sync: async (tar, deletes) => {
      await new Promise((r) => setTimeout(r, slowMs));
      if (fail) throw new Error(`${label} is gone`);
      calls.push(`${label} sync ${tar.length > 0 ? "tar" : "no-tar"} del=${deletes.join(",")}`);
    },
    after: async (a) => void calls.push(`${label} after ${JSON.stringify(a)}`),
  });
  return {
    kind: "compose",
    targets: async () => [target("container one"), target("container two", calls.includes("fail-two"))],
    rebuild: async (name, current) => {
      calls.push(`rebuild ${name} from ${current?.ref}`);
      return { image: built("v2"), replaced: ["container one"] };
    },
  };
}

describe("ReloadSession", () => {
  const env = envWith({ sync: [{ from: "src", to: "/app/src" }] }, root);

  it("merges batches that arrive during a reload into one next reload", async () => {
    const calls: string[] = [];
    const reports: ReloadReport[] = [];
    const s = new ReloadSession({ env, driver: fakeDriver(calls, 30), images: new Map([["web", built("v1")]]), log: () => {}, onReload: (r) => reports.push(r) });
    await s.start();
    const first = s.enqueue("web", [{ path: "src/a.js", kind: "change" }]);
    void s.enqueue("web", [{ path: "src/b.js", kind: "change" }]);
    void s.enqueue("web", [{ path: "src/c.js", kind: "delete" }]);
    await first;
    await s.idle();
    const syncs = reports.filter((r) => r.kind === "sync");
    expect(syncs.map((r) => [r.files, r.deletes])).toEqual([[1, 0], [1, 1]]);
    expect(syncs[1]!.targets).toEqual(["container one", "container two"]);
  });

  it("a failing target is reported; the others are synced", async () => {
    const calls = ["fail-two"];
    const logs: string[] = [];
    const s = new ReloadSession({ env, driver: fakeDriver(calls), images: new Map([["web", built("v1")]]), log: (l) => logs.push(l) });
    await s.start();
    const r = await s.reload("web", [{ path: "src/a.js", kind: "change" }]);
    expect(r.targets).toEqual(["container one"]);
    expect(r.errors.map((e) => e.message)).toEqual(["container two is gone"]);
    expect(logs.some((l) => l.startsWith("✗ web: synced 1 file → container one in"))).toBe(true);
  });

  it("a rebuild goes through the driver and updates the image map", async () => {
    const calls: string[] = [];
    const images = new Map([["web", built("v1")]]);
    const s = new ReloadSession({ env, driver: fakeDriver(calls), images, log: () => {} });
    await s.start();
    const r = await s.reload("web", [{ path: "Dockerfile", kind: "change" }]);
    expect(calls).toContain("rebuild web from demo/web:v1");
    expect(r).toMatchObject({ kind: "rebuild", targets: ["container one"], errors: [] });
    expect(images.get("web")!.ref).toBe("demo/web:v2");
  });

  it("an image that was not built is a clear error, not a crash", async () => {
    const s = new ReloadSession({ env, driver: fakeDriver([]), images: new Map(), log: () => {} });
    const [initial] = await s.start();
    expect(initial!.errors[0]!.message).toContain('image "web" was not built in this session');
  });
});

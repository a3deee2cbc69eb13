// chokidar drops a `change` that lands inside its 50 ms per-path throttle; the Rechecker looks
// again after the window and reports a file that moved meanwhile.
import { describe, expect, it } from "vitest";
import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rechecker } from "../../../src/watch/watcher.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Rechecker", () => {
  it("reports a write that came after the event it saw, and nothing for an untouched file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "devenv-recheck-"));
    const moved = join(dir, "moved.txt");
    const still = join(dir, "still.txt");
    writeFileSync(moved, "edit 1");
    writeFileSync(still, "same");
    const seen: string[] = [];
    const timers = new Set<NodeJS.Timeout>();
    const r = new Rechecker(timers, (abs) => seen.push(abs), 40);
    r.watch(moved);
    r.watch(still);
    writeFileSync(moved, "edit 2"); // same size: only the mtime tells
    utimesSync(moved, new Date(), new Date(Date.now() + 5000));
    await sleep(150);
    expect(seen).toEqual([moved]);
    for (const t of timers) clearTimeout(t);
  });
});

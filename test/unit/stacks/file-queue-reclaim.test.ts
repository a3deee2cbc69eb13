// CodeBeaker's file queue: a job left in running/ by a worker that died is put back in pending/
// once its claim is older than the timeout allows; a fresh claim is left alone.
import { mkdtempSync, readdirSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain JavaScript stand-in service
import { fileQueue } from "../../../fixtures/codebeaker/services/lib/file-queue.js";

describe("file queue reclaim", () => {
  it("puts a stale claim back, keeps a fresh one, and the job can be claimed again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cb-queue-"));
    const q = fileQueue(join(dir, "queue"), join(dir, "storage"));
    await q.init();
    const stale = await q.submit({ code: "1" });
    const fresh = await q.submit({ code: "2" });
    expect((await q.claim(2)).map((j: { id: string }) => j.id).sort()).toEqual([stale, fresh].sort());
    // The claim's time is the rename's, not the submission's: set the stale one back 10 minutes.
    const old = new Date(Date.now() - 600_000);
    utimesSync(join(dir, "queue/running", `${stale}.json`), old, old);
    expect(await q.reclaim(60_000)).toEqual([stale]);
    expect(readdirSync(join(dir, "queue/pending"))).toEqual([`${stale}.json`]);
    expect((await q.status(stale)).status).toBe("queued");
    expect((await q.status(fresh)).status).toBe("running");
    expect((await q.claim(5)).map((j: { id: string }) => j.id)).toEqual([stale]);
  });
});

// The fixtures' own code, run directly with Node: the worker's limits and the WebSocket framing.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "../../helpers/cli.js";

const load = (p: string): Promise<any> => import(pathToFileURL(join(repoRoot, p)).href as string);

describe("CodeBeaker worker execute()", () => {
  it("runs code with node and returns its output", async () => {
    const { execute } = await load("fixtures/codebeaker/services/worker/execute.js");
    expect(await execute({ code: "console.log(1 + 1)" }, { timeoutMs: 10_000, memoryMb: 64 })).toMatchObject({ status: "done", exitCode: 0, stdout: "2\n" });
  });
  it("kills a job at the timeout, children included", async () => {
    const { execute } = await load("fixtures/codebeaker/services/worker/execute.js");
    const r = await execute({ command: "sleep 30 & sleep 30" }, { timeoutMs: 300, memoryMb: 64 });
    expect(r.status).toBe("timeout");
    expect(r.durationMs).toBeLessThan(10_000);
  });
  it("caps the heap at the memory limit", async () => {
    const { execute } = await load("fixtures/codebeaker/services/worker/execute.js");
    const r = await execute({ code: "const a = []; for (;;) a.push(new Array(1e6).fill(1));" }, { timeoutMs: 20_000, memoryMb: 32 });
    expect(r.status).toBe("failed");
    expect(r.stderr).toMatch(/heap/i);
  });
});

describe("AgentForge WebSocket frames", () => {
  it("decodes a masked client frame and encodes long server frames", async () => {
    const { decodeFrame, encodeFrame } = await load("fixtures/agentforge/services/lib/ws.js");
    const mask = Buffer.from([1, 2, 3, 4]);
    const text = Buffer.from("hi there");
    const masked = Buffer.from(text.map((b, i) => b ^ mask[i % 4]!));
    const f = decodeFrame(Buffer.concat([Buffer.from([0x81, 0x80 | text.length]), mask, masked]));
    expect([f.opcode, f.payload.toString(), f.length]).toEqual([1, "hi there", 14]);
    const long = encodeFrame(1, Buffer.alloc(70_000, 97));
    expect(decodeFrame(long).payload.length).toBe(70_000);
    expect(decodeFrame(long.subarray(0, 100))).toBeUndefined();
  });
});

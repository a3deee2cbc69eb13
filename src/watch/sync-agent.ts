// The fast path of compose syncs: one long-lived exec per container running a shell loop that
// unpacks length-prefixed tars from stdin. A sync is then one write and one "ok" line (tens of
// ms) instead of a putArchive, which Docker 20.10 serves by re-executing dockerd chrooted
// (hundreds of ms on a loaded machine). Containers without GNU coreutils fall back to putArchive.
import { PassThrough } from "node:stream";
import type { Duplex } from "node:stream";
import type Dockerode from "dockerode";

/**
 * Reads "<bytes>\n", then exactly that many bytes into `tar xf - -C /`, and answers "ok <status>".
 * GNU `head -c` never reads past its count (busybox's stdio-based one may), hence the check.
 */
export const AGENT_SCRIPT = 'head --version 2>/dev/null | grep -q coreutils || exit 3; echo ready; while read n; do head -c "$n" | tar xf - -C /; echo "ok $?"; done';

/** A running agent; send() resolves when the tar is unpacked. */
export class SyncAgent {
  private lines: string[] = [];
  private waiting?: (line: string | undefined) => void;
  private stderr = "";
  /** Sends are serialised: the protocol is one request, one reply. */
  private queue: Promise<unknown> = Promise.resolve();
  closed = false;

  private constructor(private readonly stream: Duplex) {}

  /** Starts the agent in container `id`; undefined when the container cannot run it. */
  static async start(d: Dockerode, id: string, timeoutMs = 5000): Promise<SyncAgent | undefined> {
    try {
      const exec = await d.getContainer(id).exec({ Cmd: ["sh", "-c", AGENT_SCRIPT], AttachStdin: true, AttachStdout: true, AttachStderr: true });
      const stream = (await exec.start({ hijack: true, stdin: true })) as unknown as Duplex;
      const agent = new SyncAgent(stream);
      const out = new PassThrough();
      const err = new PassThrough();
      d.modem.demuxStream(stream, out, err);
      let buf = "";
      out.on("data", (b: Buffer) => {
        buf += b.toString("utf8");
        for (let i = buf.indexOf("\n"); i >= 0; i = buf.indexOf("\n")) {
          agent.line(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
      err.on("data", (b: Buffer) => (agent.stderr = (agent.stderr + b.toString("utf8")).slice(-2000)));
      const end = () => agent.close();
      stream.on("end", end);
      stream.on("close", end);
      stream.on("error", end);
      return (await agent.next(timeoutMs)) === "ready" ? agent : (agent.close(), undefined);
    } catch {
      return undefined;
    }
  }

  /** Unpacks `tar` at "/" in the container; throws with tar's message when it fails. */
  send(tar: Buffer, timeoutMs = 30_000): Promise<void> {
    const run = this.queue.then(() => this.sendNow(tar, timeoutMs));
    this.queue = run.catch(() => {});
    return run;
  }

  private async sendNow(tar: Buffer, timeoutMs: number): Promise<void> {
    if (this.closed) throw new Error("the sync agent has stopped");
    this.stderr = "";
    this.stream.write(`${tar.length}\n`);
    this.stream.write(tar);
    const line = await this.next(timeoutMs);
    if (line === "ok 0") return;
    if (line === undefined) this.close();
    throw new Error(line === undefined ? "the sync agent did not answer" : `tar in the container failed (${line}): ${this.stderr.trim()}`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.destroy();
    this.flush(undefined);
  }

  private line(l: string): void {
    if (this.waiting) this.flush(l);
    else this.lines.push(l);
  }

  private flush(l: string | undefined): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.(l);
  }

  private next(timeoutMs: number): Promise<string | undefined> {
    if (this.lines.length > 0) return Promise.resolve(this.lines.shift());
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.flush(undefined), timeoutMs);
      this.waiting = (l) => {
        clearTimeout(timer);
        resolve(l);
      };
    });
  }
}

// The fast path of syncs: one long-lived exec per container running a shell loop that unpacks
// length-prefixed tars from stdin. A sync is then one write and one "ok" line (tens of ms)
// instead of a putArchive, which Docker 20.10 serves by re-executing dockerd chrooted
// (hundreds of ms on a loaded machine), or a new exec per sync. Needing no stdin EOF, it also
// works over the pre-1.30 exec protocol that cannot half-close stdin. Containers that cannot
// run it fall back to the per-sync path.
import type { DockerClient } from "../docker/client.js";
import { HUP_SUPERVISOR } from "../images/process-supervisor.js";

/**
 * Reads "<bytes>[ restart]\n", then exactly that many bytes into `tar xf - -C /`, and answers
 * "ok <status>". With `restart` (afterSync "restart") and the files unpacked, it signals the
 * process supervisor in the same exec and appends `restarted` or `nosupervisor`, so the
 * restart costs no second exec. GNU `head -c` never reads past its count (busybox's
 * stdio-based one may), hence the check.
 */
export const AGENT_SCRIPT = `head --version 2>/dev/null | grep -q coreutils || exit 3; echo ready; while read n r; do s=0; x=; if [ "$n" -gt 0 ]; then head -c "$n" | tar xf - -C /; s=$?; fi; if [ "$s" = 0 ] && [ "$r" = restart ]; then if ${HUP_SUPERVISOR}; then x=restarted; else x=nosupervisor; fi; fi; echo "ok $s $x"; done`;
export const AGENT_COMMAND = ["sh", "-c", AGENT_SCRIPT];

/** Where the agent's stdin goes (a hijacked Docker socket, an exec websocket). */
export interface AgentTransport {
  write(chunk: Buffer | string): void;
  destroy(): void;
}

/** A running agent; send() resolves when the tar is unpacked. */
export class SyncAgent {
  private lines: string[] = [];
  private partial = "";
  private waiting?: (line: string | undefined) => void;
  private stderr = "";
  /** Sends are serialised: the protocol is one request, one reply. */
  private queue: Promise<unknown> = Promise.resolve();
  closed = false;

  constructor(private readonly transport: AgentTransport) {}

  /** Feeds the agent's stdout. */
  stdout(chunk: Buffer | string): void {
    this.partial += chunk.toString();
    for (let i = this.partial.indexOf("\n"); i >= 0; i = this.partial.indexOf("\n")) {
      this.line(this.partial.slice(0, i));
      this.partial = this.partial.slice(i + 1);
    }
  }

  /** Feeds the agent's stderr (kept for error messages). */
  stderrChunk(chunk: Buffer | string): void {
    this.stderr = (this.stderr + chunk.toString()).slice(-2000);
  }

  /** Resolves to the agent once it said "ready", or undefined (and closes it). */
  async ready(timeoutMs = 5000): Promise<SyncAgent | undefined> {
    if ((await this.next(timeoutMs)) === "ready") return this;
    this.close();
    return undefined;
  }

  /**
   * Unpacks `tar` at "/" in the container; throws with tar's message when it fails. With
   * `restart`, then signals the process supervisor: resolves to whether one was there.
   */
  send(tar: Buffer, opts: { restart?: boolean; timeoutMs?: number } = {}): Promise<{ restarted: boolean }> {
    const run = this.queue.then(() => this.sendNow(tar, opts.restart ?? false, opts.timeoutMs ?? 30_000));
    this.queue = run.catch(() => {});
    return run;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.destroy();
    this.flush(undefined);
  }

  private async sendNow(tar: Buffer, restart: boolean, timeoutMs: number): Promise<{ restarted: boolean }> {
    if (this.closed) throw new Error("the sync agent has stopped");
    this.stderr = "";
    this.transport.write(`${tar.length}${restart ? " restart" : ""}\n`);
    if (tar.length > 0) this.transport.write(tar);
    const line = await this.next(timeoutMs);
    const [ok, status, extra] = (line ?? "").trim().split(/\s+/);
    if (ok === "ok" && status === "0") return { restarted: extra === "restarted" };
    if (line === undefined) this.close();
    throw new Error(line === undefined ? "the sync agent did not answer" : `tar in the container failed (${line}): ${this.stderr.trim()}`);
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

/** Agents by container, kept across reloads; undefined marks one that cannot run an agent. */
export type AgentCache = Map<string, Promise<SyncAgent | undefined>>;

/** The cached agent of `key`, starting one if there is none or the last one stopped. */
export async function cachedAgent(cache: AgentCache, key: string, start: () => Promise<SyncAgent | undefined>): Promise<SyncAgent | undefined> {
  const cached = cache.get(key);
  if (cached) {
    const agent = await cached;
    if (!agent || !agent.closed) return agent;
  }
  const started = start();
  cache.set(key, started);
  return started;
}

/** Closes every agent of the cache. */
export async function closeAgents(cache: AgentCache): Promise<void> {
  for (const a of cache.values()) (await a)?.close();
  cache.clear();
}

/** Starts the agent in Docker container `id` over a hijacked exec; undefined when it cannot run. */
export async function startDockerAgent(d: DockerClient, id: string, timeoutMs = 5000): Promise<SyncAgent | undefined> {
  try {
    const exec = await d.containers.exec(id, AGENT_COMMAND, { stdin: true });
    const { connection, stdout, stderr } = await exec.start();
    const agent = new SyncAgent(connection);
    stdout.on("data", (b: Buffer) => agent.stdout(b));
    stderr.on("data", (b: Buffer) => agent.stderrChunk(b));
    for (const ev of ["end", "close", "error"]) connection.on(ev, () => agent.close());
    return await agent.ready(timeoutMs);
  } catch {
    return undefined;
  }
}

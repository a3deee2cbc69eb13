// Watches the build contexts with chokidar and hands over batches of changes per image after a
// quiet period (debounce), skipping ignored paths without descending into them.
import { relative, sep } from "node:path";
import { watch, type FSWatcher } from "chokidar";
import type { FileChange } from "./plan.js";
import type { ReloadRules } from "./rules.js";

export interface WatcherOptions {
  /** Quiet period after the last event before a batch is handed over. */
  debounceMs: number;
  /** A burst never waits longer than this in total (so a busy tree still syncs). */
  maxWaitMs?: number;
  /** Receives each batch with the time its first event was seen. */
  onBatch(image: string, changes: FileChange[], firstSeenAt: number): void;
  onError?(e: Error): void;
}

/** Running watchers of all images; close() stops them. */
export interface ContextWatcher {
  ready: Promise<void>;
  close(): Promise<void>;
}

export function watchContexts(rules: ReloadRules[], opts: WatcherOptions): ContextWatcher {
  const watchers: FSWatcher[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const readies: Promise<void>[] = [];
  for (const r of rules) {
    const batch = new Batcher(opts.debounceMs, opts.maxWaitMs ?? Math.max(1000, opts.debounceMs * 10), timers, (changes, first) => opts.onBatch(r.image, changes, first));
    const rel = (abs: string) => relative(r.contextDir, abs).split(sep).join("/");
    const w = watch(r.contextDir, {
      ignoreInitial: true,
      // atomic-save detection would hold deletions back by 100 ms; the planner's "last event wins" covers it.
      atomic: false,
      ignored: (abs: string) => {
        const p = rel(abs);
        return p !== "" && !p.startsWith("..") && p !== r.dockerfile && p !== ".dockerignore" && r.ignored.ignores(p);
      },
    });
    w.on("add", (abs) => batch.push({ path: rel(abs), kind: "change" }));
    w.on("change", (abs) => batch.push({ path: rel(abs), kind: "change" }));
    w.on("unlink", (abs) => batch.push({ path: rel(abs), kind: "delete" }));
    w.on("unlinkDir", (abs) => batch.push({ path: rel(abs), kind: "delete" }));
    w.on("error", (e) => opts.onError?.(e instanceof Error ? e : new Error(String(e))));
    readies.push(new Promise((res) => w.once("ready", () => res())));
    watchers.push(w);
  }
  return {
    ready: Promise.all(readies).then(() => undefined),
    async close() {
      for (const t of timers) clearTimeout(t);
      await Promise.all(watchers.map((w) => w.close()));
    },
  };
}

/** Collects events until `quietMs` pass without one (or `maxWaitMs` since the first). */
export class Batcher {
  private changes: FileChange[] = [];
  private first = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
    private readonly timers: Set<NodeJS.Timeout>,
    private readonly flush: (changes: FileChange[], firstSeenAt: number) => void,
  ) {}

  push(c: FileChange): void {
    const now = performance.now();
    if (this.changes.length === 0) this.first = now;
    this.changes.push(c);
    if (this.timer) {
      clearTimeout(this.timer);
      this.timers.delete(this.timer);
    }
    const wait = Math.max(0, Math.min(this.quietMs, this.first + this.maxWaitMs - now));
    this.timer = setTimeout(() => this.emit(), wait);
    this.timers.add(this.timer);
  }

  private emit(): void {
    if (this.timer) this.timers.delete(this.timer);
    this.timer = undefined;
    const changes = this.changes;
    this.changes = [];
    if (changes.length > 0) this.flush(changes, this.first);
  }
}

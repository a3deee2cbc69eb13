// Watches the build contexts with chokidar and hands over batches of changes per image after a
// quiet period (debounce), skipping ignored paths without descending into them.
import { statSync } from "node:fs";
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
    const recheck = new Rechecker(timers, (abs) => batch.push({ path: rel(abs), kind: "change" }));
    const changed = (abs: string) => {
      batch.push({ path: rel(abs), kind: "change" });
      recheck.watch(abs);
    };
    w.on("add", changed);
    w.on("change", changed);
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

/**
 * chokidar throttles `change` events per path for 50 ms and drops the ones inside that window,
 * so a save that lands right after another is lost. After each event this looks at the file
 * once more, past the window, and reports it again when its mtime or size moved meanwhile.
 */
export class Rechecker {
  private readonly seen = new Map<string, { mtimeMs: number; size: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly timers: Set<NodeJS.Timeout>,
    private readonly changed: (abs: string) => void,
    private readonly afterMs = 120,
  ) {}

  watch(abs: string): void {
    const st = statOrUndefined(abs);
    const old = this.seen.get(abs);
    if (old) {
      clearTimeout(old.timer);
      this.timers.delete(old.timer);
    }
    if (!st) return void this.seen.delete(abs);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const entry = this.seen.get(abs);
      this.seen.delete(abs);
      const now = statOrUndefined(abs);
      if (entry && now && (now.mtimeMs !== entry.mtimeMs || now.size !== entry.size)) {
        this.changed(abs);
        this.watch(abs);
      }
    }, this.afterMs);
    this.timers.add(timer);
    this.seen.set(abs, { mtimeMs: st.mtimeMs, size: st.size, timer });
  }
}

function statOrUndefined(abs: string): { mtimeMs: number; size: number } | undefined {
  try {
    return statSync(abs);
  } catch {
    return undefined;
  }
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

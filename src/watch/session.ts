// A hot-reload session: compiles each image's rules, runs the initial sync, then turns each
// batch of changes into a plan and applies it to every target, one batch per image at a time.
// Errors are reported and the session keeps going.
import type { LoadedEnv } from "../config/load.js";
import { DevenvError } from "../errors/devenv-error.js";
import { formatError } from "../errors/report.js";
import { makeStyle } from "../ui/style.js";
import type { BuiltImage } from "../model/index.js";
import { isInside, planReload, syncRoot, type FileChange, type SyncCopy } from "./plan.js";
import { loadRules, missingSources, type AfterSync, type ReloadRules } from "./rules.js";
import { formatStatus, type ReloadReport } from "./status.js";
import { initialCopies, packCopies, type SyncArchive } from "./tar.js";
import type { SyncTarget, TargetDriver } from "./target.js";

export interface SessionOptions {
  env: LoadedEnv;
  driver: TargetDriver;
  /** The built images (ctx.images); rebuilds update it in place. */
  images: Map<string, BuiltImage>;
  /** Status lines and errors. */
  log(line: string): void;
  /** Called after each reload (tests, bench). */
  onReload?(report: ReloadReport): void;
  /** Show build output during rebuilds (--verbose). */
  verbose?: boolean;
}

const plainStyle = makeStyle(false);

export class ReloadSession {
  readonly rules = new Map<string, ReloadRules>();
  private readonly queues = new Map<string, { pending: FileChange[]; since: number; running?: Promise<void> }>();

  constructor(private readonly opts: SessionOptions) {}

  /** Compiles rules, reports sync sources that do not exist, and runs the initial sync. */
  async start(): Promise<ReloadReport[]> {
    const reports: ReloadReport[] = [];
    for (const name of Object.keys(this.opts.env.config.images)) {
      const rules = await loadRules(this.opts.env, name);
      this.rules.set(name, rules);
      for (const m of missingSources(rules)) this.error(m.error);
      if (rules.sync.length > 0) reports.push(await this.initialSync(name));
    }
    return reports;
  }

  /** Queues a batch of changes of one image; batches arriving during a reload are merged. */
  enqueue(image: string, changes: FileChange[], seenAt = performance.now()): Promise<void> {
    let q = this.queues.get(image);
    if (!q) this.queues.set(image, (q = { pending: [], since: seenAt }));
    if (q.pending.length === 0) q.since = seenAt;
    q.pending.push(...changes);
    q.running ??= this.drain(image, q).finally(() => (q.running = undefined));
    return q.running;
  }

  /** Waits until every queued batch is applied. */
  async idle(): Promise<void> {
    for (const q of this.queues.values()) await q.running;
  }

  private async drain(image: string, q: { pending: FileChange[]; since: number }): Promise<void> {
    while (q.pending.length > 0) {
      const batch = q.pending.splice(0);
      await this.reload(image, batch, q.since);
    }
  }

  /** Applies one batch of changes of one image. */
  async reload(image: string, changes: FileChange[], since = performance.now()): Promise<ReloadReport> {
    const rules = this.rules.get(image);
    if (!rules) throw new Error(`reload of unknown image ${image}`);
    const plan = planReload(changes, rules, { target: this.opts.driver.kind });
    if (plan.kind === "none") return this.report({ image, kind: "none", files: 0, deletes: 0, targets: [], ms: performance.now() - since, errors: [] }, false);
    if (plan.kind === "rebuild") return this.rebuild(image, plan.reason, since);
    return this.syncAll(image, "sync", plan.copies, plan.deletes, plan.afterSync, since);
  }

  private async initialSync(image: string): Promise<ReloadReport> {
    const since = performance.now();
    const rules = this.rules.get(image)!;
    // The image already holds what it was built from; after `restart` the sync must not restart it needlessly.
    return this.syncAll(image, "initial", await initialCopies(rules), [], "none", since);
  }

  private async syncAll(image: string, kind: "initial" | "sync", copies: SyncCopy[], deletes: string[], after: AfterSync, since: number): Promise<ReloadReport> {
    const report: ReloadReport = { image, kind, files: 0, deletes: 0, targets: [], ms: 0, errors: [] };
    const built = this.opts.images.get(image);
    if (!built) {
      report.errors.push(new DevenvError(`image "${image}" was not built in this session, so its containers are unknown`, { hint: "run `devenv up --watch` (it builds the images first)" }));
      return this.report({ ...report, ms: performance.now() - since });
    }
    let targets: SyncTarget[];
    let archive: SyncArchive;
    try {
      [targets, archive] = await Promise.all([this.opts.driver.targets(built), packCopies(this.rules.get(image)!.contextDir, copies)]);
    } catch (e) {
      report.errors.push(asError(e));
      return this.report({ ...report, ms: performance.now() - since });
    }
    const allDeletes = [...deletes, ...archive.vanished];
    report.files = archive.written.length;
    report.deletes = allDeletes.length;
    const results = await Promise.allSettled(targets.map((t) => this.syncOne(image, t, archive, allDeletes, after)));
    results.forEach((r, i) => {
      if (r.status === "rejected") return void report.errors.push(asError(r.reason));
      report.targets.push(targets[i]!.label);
      if (r.value) report.errors.push(r.value);
    });
    return this.report({ ...report, ms: performance.now() - since });
  }

  /** Syncs into one target; paths outside its sync root are skipped and returned as an error. */
  private async syncOne(image: string, target: SyncTarget, archive: SyncArchive, deletes: string[], after: AfterSync): Promise<DevenvError | undefined> {
    const workdir = await target.workdir();
    const root = syncRoot(workdir);
    const outside = [...archive.written, ...deletes].filter((p) => !isInside(p, root));
    let tar = archive.tar;
    if (outside.length > 0) {
      // Sync what is inside; the rest is reported below and the watch goes on.
      const skip = new Set(outside);
      tar = (await packCopies(this.rules.get(image)!.contextDir, archive.copies.filter((c) => !skip.has(c.to)))).tar;
      deletes = deletes.filter((p) => !skip.has(p));
    }
    const copied = archive.written.length - outside.filter((p) => archive.written.includes(p)).length;
    if (copied > 0 || deletes.length > 0) {
      const done = await target.sync(copied > 0 ? tar : Buffer.alloc(0), deletes, { restart: after === "restart" });
      if (!(after === "restart" && done?.restarted)) await target.after(after);
    }
    if (outside.length > 0) {
      return new DevenvError(`${outside[0]}${outside.length > 1 ? ` (+${outside.length - 1} more)` : ""} is outside ${root}, the top of the working directory ${workdir} of ${target.label}; not synced there`, {
        where: `images.${image}.sync`,
        hint: `sync only below ${root} (where the image keeps the app: its WORKDIR is ${workdir}), or change the rule's \`to\``,
      });
    }
    return undefined;
  }

  private async rebuild(image: string, reason: string, since: number): Promise<ReloadReport> {
    const report: ReloadReport = { image, kind: "rebuild", files: 0, deletes: 0, targets: [], ms: 0, reason, errors: [] };
    this.opts.log(`… ${image}: rebuilding (${reason})`);
    try {
      const { image: built, replaced } = await this.opts.driver.rebuild(image, this.opts.images.get(image), (line) => this.opts.verbose && this.opts.log(`  › ${image}: ${line}`));
      this.opts.images.set(image, built);
      report.targets = replaced;
    } catch (e) {
      report.errors.push(asError(e));
    }
    return this.report({ ...report, ms: performance.now() - since });
  }

  private report(r: ReloadReport, print = true): ReloadReport {
    if (print) this.opts.log(formatStatus(r));
    for (const e of r.errors) this.error(e);
    this.opts.onReload?.(r);
    return r;
  }

  private error(e: Error): void {
    this.opts.log(formatError(e, plainStyle, false));
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

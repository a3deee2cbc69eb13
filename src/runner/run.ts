// Runs steps under listr2: the default renderer on a TTY, plain lines when not a TTY or
// under CI. Steps run concurrently as soon as the steps they name are done.
import { StepFailures } from "../errors/devenv-error.js";
import { debugFor } from "../debug/index.js";
import { levels, type Step } from "./step.js";

export interface RunStepsOptions {
  /** Force the plain line renderer (non-TTY, CI, --verbose). */
  plain?: boolean;
  /** Silence output entirely (tests, --json). */
  silent?: boolean;
}

export interface StepResult {
  id: string;
  status: "done" | "skipped";
  reason?: string;
  /** How long the step took (its check, and its run when the check did not skip it). */
  ms: number;
  /** When it started, in ms since the process started: what came before the first step is startup. */
  startMs: number;
  /** Of `ms`, the part its check took (absent without a check). */
  checkMs?: number;
}

const debug = debugFor("step");

export async function runSteps<C>(steps: Step<C>[], ctx: C, opts: RunStepsOptions = {}): Promise<StepResult[]> {
  const { Listr } = await import("listr2");
  const results: StepResult[] = [];
  const plain = opts.plain ?? (!process.stderr.isTTY || Boolean(process.env.CI));
  // A dependency graph, not lock-step levels: each step starts as soon as the steps it names
  // are done (render-manifests does not wait for a cluster it does not need).
  const ordered = levels(steps).flat(); // validates `after` and rejects cycles
  const finished = new Map(ordered.map((s) => [s.id, deferred()]));
  // Every failure, reported together once all running steps have settled (listr2 does not stop
  // at the first: a concurrent step's output would otherwise come after the error).
  const failures: { step: string; title: string; error: unknown }[] = [];
  const tasks = ordered.map((step) => ({
    title: step.title,
    task: async (_c: unknown, task: any) => {
      const mine = finished.get(step.id)!;
      try {
        const deps = step.after;
        if (deps.length) {
          task.output = `waiting for ${deps.join(", ")}`;
          try {
            await Promise.all(deps.map((d) => finished.get(d)!.promise));
          } catch (e) {
            // Not this step's failure: it is reported once, by the step that failed.
            mine.reject(e);
            task.skip("not run: a step it depends on failed");
            return;
          }
        }
        if (failures.length > 0) {
          // Another step failed before this one began: do not start new work.
          mine.reject(failures[0]!.error);
          task.skip(`not run: ${failures[0]!.step} failed`);
          return;
        }
        const started = performance.now();
        const record = (r: Omit<StepResult, "id" | "ms" | "startMs">) => {
          const res: StepResult = { id: step.id, ...r, ms: performance.now() - started, startMs: started };
          results.push(res);
          debug(`${step.id}: ${res.status} in ${res.ms.toFixed(0)} ms${res.checkMs === undefined ? "" : ` (check ${res.checkMs.toFixed(0)} ms)`}${res.reason ? `: ${res.reason}` : ""}`);
        };
        const reason = step.check ? await step.check(ctx) : false;
        const checkMs = step.check ? performance.now() - started : undefined;
        if (reason) {
          record({ status: "skipped", reason, checkMs });
          task.skip(reason);
        } else {
          let last: string | undefined;
          let nothingToDo: string | undefined;
          await step.run(ctx, {
            output: (line) => {
              if (line !== last) task.output = last = line; // the plain renderer prints every update
            },
            title: (text) => {
              task.title = text;
            },
            skipped: (why) => {
              nothingToDo = why;
            },
          });
          if (nothingToDo) {
            record({ status: "skipped", reason: nothingToDo, checkMs });
            task.skip(nothingToDo);
          } else record({ status: "done", checkMs });
        }
        mine.resolve();
      } catch (e) {
        failures.push({ step: step.id, title: step.title, error: e });
        mine.reject(e);
        // The step's line says it failed; the error itself is printed once, after the run.
        throw new Error("see the error below");
      }
    },
  }));
  const list = new Listr(tasks, {
    concurrent: true,
    exitOnError: false,
    renderer: opts.silent ? "silent" : plain ? "simple" : "default",
    // The default (TTY) renderer keeps each step's title on skipped and failed steps: the reason
    // goes on the line below it, and the error in the block after the run.
    rendererOptions: { collapseSubtasks: false, showSkipMessage: true, collapseSkips: false, showErrorMessage: false } as never,
    collectErrors: false,
  });
  await list.run().catch(() => undefined); // failures are in `failures`
  if (failures.length > 0) {
    // In pipeline order, whatever order they happened in.
    const order = new Map(ordered.map((s, i) => [s.id, i]));
    failures.sort((a, b) => order.get(a.step)! - order.get(b.step)!);
    throw failures.length === 1 ? failures[0]!.error : new StepFailures(failures);
  }
  return results;
}

function deferred(): { promise: Promise<void>; resolve(): void; reject(e: unknown): void } {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // a failure is reported once, by the step that failed
  return { promise, resolve, reject };
}

/** The --dry-run view: every step in order, with what it would do. */
export async function planSteps<C>(steps: Step<C>[], ctx: C): Promise<{ id: string; title: string; after: string[]; level: number; actions: string[] }[]> {
  const out = [];
  let level = 0;
  for (const group of levels(steps)) {
    for (const s of group) out.push({ id: s.id, title: s.title, after: s.after, level, actions: await s.plan(ctx) });
    level++;
  }
  return out;
}

export function formatPlan(plan: Awaited<ReturnType<typeof planSteps>>): string {
  const lines: string[] = [];
  let n = 0;
  for (const p of plan) {
    n++;
    const conc = plan.filter((q) => q.level === p.level).length > 1 ? " (concurrent)" : "";
    lines.push(`${n}. ${p.title} [${p.id}]${conc}${p.after.length ? `  after: ${p.after.join(", ")}` : ""}`);
    for (const a of p.actions) lines.push(`     - ${a}`);
  }
  return lines.join("\n");
}

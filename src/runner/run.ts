// Runs steps under listr2: the default renderer on a TTY, plain lines when not a TTY or
// under CI. Steps run concurrently as soon as the steps they name are done.
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
  ms: number;
}

export async function runSteps<C>(steps: Step<C>[], ctx: C, opts: RunStepsOptions = {}): Promise<StepResult[]> {
  const { Listr } = await import("listr2");
  const results: StepResult[] = [];
  const plain = opts.plain ?? (!process.stderr.isTTY || Boolean(process.env.CI));
  // A dependency graph, not lock-step levels: each step starts as soon as the steps it names
  // are done (render-manifests does not wait for a cluster it does not need).
  const ordered = levels(steps).flat(); // validates `after` and rejects cycles
  const finished = new Map(ordered.map((s) => [s.id, deferred()]));
  let firstError: unknown;
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
        const started = performance.now();
        const reason = step.check ? await step.check(ctx) : false;
        if (reason) {
          results.push({ id: step.id, status: "skipped", reason, ms: performance.now() - started });
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
            results.push({ id: step.id, status: "skipped", reason: nothingToDo, ms: performance.now() - started });
            task.skip(nothingToDo);
          } else results.push({ id: step.id, status: "done", ms: performance.now() - started });
        }
        mine.resolve();
      } catch (e) {
        firstError ??= e;
        mine.reject(e);
        throw e;
      }
    },
  }));
  const list = new Listr(tasks, {
    concurrent: true,
    exitOnError: true,
    renderer: opts.silent ? "silent" : plain ? "simple" : "default",
    rendererOptions: { collapseSubtasks: false, showSkipMessage: true } as never,
    collectErrors: false,
  });
  try {
    await list.run();
  } catch (e) {
    // Steps waiting on a failed one fail with its error too; report the one that failed first.
    throw firstError ?? e;
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

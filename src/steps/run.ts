// Runs steps under listr2: the default renderer on a TTY, plain lines when not a TTY or
// under CI. Each level of independent steps runs concurrently.
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
  const toTask = (step: Step<C>) => ({
    title: step.title,
    task: async (_c: unknown, task: any) => {
            const started = performance.now();
            const reason = step.check ? await step.check(ctx) : false;
            if (reason) {
              results.push({ id: step.id, status: "skipped", reason, ms: performance.now() - started });
              task.skip(`${step.title}: ${reason}`);
              return;
            }
            await step.run(ctx, {
              output: (line) => {
                task.output = line;
              },
              title: (text) => {
                task.title = text;
              },
            });
            results.push({ id: step.id, status: "done", ms: performance.now() - started });
    },
  });
  // A level of one step is a plain task; a level of several runs them concurrently.
  const tasks = levels(steps).map((level) =>
    level.length === 1
      ? toTask(level[0]!)
      : { title: level.map((s) => s.title).join(" · "), task: (_: unknown, parent: any) => parent.newListr(level.map(toTask), { concurrent: true, exitOnError: true }) },
  );
  const list = new Listr(tasks, {
    concurrent: false,
    exitOnError: true,
    renderer: opts.silent ? "silent" : plain ? "simple" : "default",
    rendererOptions: { collapseSubtasks: false, showSkipMessage: true } as never,
    collectErrors: false,
  });
  await list.run();
  return results;
}

/** The --dry-run view: every step in order, with what it would do. */
export async function planSteps<C>(steps: Step<C>[], ctx: C): Promise<{ id: string; title: string; after: string[]; level: number; actions: string[] }[]> {
  const out = [];
  let level = 0;
  for (const group of levels(steps)) {
    for (const s of group) out.push({ id: s.id, title: s.title, after: s.after ?? [], level, actions: await s.plan(ctx) });
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

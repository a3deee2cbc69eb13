// A step of `up`, like kind's create actions: a title, a check ("already done?") and an action.
// Steps name the steps they run after; independent ones run concurrently.
import { DevenvError } from "../errors/devenv-error.js";

export interface StepTask {
  /** A line of progress under the step's title. */
  output(line: string): void;
  /** Replace the step's title (e.g. with a count). */
  title(text: string): void;
}

export interface Step<C> {
  /** Stable id, used by `after`, `--only` and --json. */
  id: string;
  /** What the user sees. */
  title: string;
  /** Ids of the steps that must finish first. */
  after?: string[];
  /** What it would do, for --dry-run. Must not touch anything. */
  plan(ctx: C): string[] | Promise<string[]>;
  /** "Already done?": a reason string skips the step, false runs it. */
  check?(ctx: C): Promise<string | false>;
  /** Do it. Idempotent: running it twice changes nothing the second time. */
  run(ctx: C, task: StepTask): Promise<void>;
}

/** A step that a later issue fills: it is listed in the plan and fails loudly when run. */
export function pendingStep<C>(id: string, title: string, issue: number, after: string[] = []): Step<C> {
  return {
    id,
    title,
    after,
    plan: () => [`(pending: not implemented yet, issue #${issue})`],
    run: async () => {
      throw new DevenvError(`${title}: not implemented yet`, { hint: `tracked in issue #${issue}` });
    },
  };
}

/** Groups steps into levels: each level runs after all of the previous ones, concurrently inside. */
export function levels<C>(steps: Step<C>[]): Step<C>[][] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  for (const s of steps) {
    for (const dep of s.after ?? []) {
      if (!byId.has(dep)) throw new Error(`step ${s.id} runs after unknown step ${dep}`);
    }
  }
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (s: Step<C>): number => {
    const known = depth.get(s.id);
    if (known !== undefined) return known;
    if (visiting.has(s.id)) throw new Error(`steps form a cycle through ${s.id}`);
    visiting.add(s.id);
    const d = Math.max(-1, ...(s.after ?? []).map((id) => depthOf(byId.get(id)!))) + 1;
    visiting.delete(s.id);
    depth.set(s.id, d);
    return d;
  };
  const out: Step<C>[][] = [];
  for (const s of steps) (out[depthOf(s)] ??= []).push(s);
  return out.filter(Boolean);
}

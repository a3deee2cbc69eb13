// A step, like kind's create actions: a title, a check ("already done?") and an action. A
// step does not know its neighbours: whoever assembles the pipeline says what runs after what
// (src/up/pipeline.ts), and independent steps run concurrently.

export interface StepTask {
  /** A line of progress under the step's title. */
  output(line: string): void;
  /** Replace the step's title (e.g. with a count). */
  title(text: string): void;
  /** Say that running found nothing to do (for steps whose "already done?" is only known by doing it). */
  skipped(reason: string): void;
}

/** What a step is and does. */
export interface StepDefinition<C> {
  /** Stable id, used by `after`, `--only` and --json. */
  id: string;
  /** What the user sees. */
  title: string;
  /** What it would do, for --dry-run. Must not touch anything. */
  plan(ctx: C): string[] | Promise<string[]>;
  /** "Already done?": a reason string skips the step, false runs it. Reads only: it changes nothing, not even ctx. */
  check?(ctx: C): Promise<string | false>;
  /** Do it. Idempotent: running it twice changes nothing the second time. */
  run(ctx: C, task: StepTask): Promise<void>;
}

/** A step placed in a pipeline: the ids of the steps that must finish first. */
export interface Step<C> extends StepDefinition<C> {
  after: string[];
}

/** Groups steps into levels: each level runs after all of the previous ones, concurrently inside. */
export function levels<C>(steps: Step<C>[]): Step<C>[][] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  for (const s of steps) {
    for (const dep of s.after) {
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
    const d = Math.max(-1, ...s.after.map((id) => depthOf(byId.get(id)!))) + 1;
    visiting.delete(s.id);
    depth.set(s.id, d);
    return d;
  };
  const out: Step<C>[][] = [];
  for (const s of steps) (out[depthOf(s)] ??= []).push(s);
  return out.filter(Boolean);
}

/**
 * The steps named by `ids`, in the same order relative to each other as in the whole pipeline:
 * a step's `after` becomes the nearest kept steps it waits for through the ones left out, so
 * `--only apply-data,apply-apps` still applies the data before the apps.
 */
export function restrict<C>(steps: Step<C>[], ids: string[]): Step<C>[] {
  const byId = new Map(steps.map((s) => [s.id, s]));
  const keep = new Set(ids);
  const nearestKept = (id: string, seen = new Set<string>()): string[] => {
    if (seen.has(id)) return [];
    seen.add(id);
    if (keep.has(id)) return [id];
    return (byId.get(id)?.after ?? []).flatMap((d) => nearestKept(d, seen));
  };
  return steps.filter((s) => keep.has(s.id)).map((s) => ({ ...s, after: [...new Set(s.after.flatMap((d) => nearestKept(d)))] }));
}

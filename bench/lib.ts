// Small helpers shared by the benchmarks: timing, percentiles, and a uniform report line.
import { performance } from "node:perf_hooks";

export async function time(fn: () => Promise<unknown> | unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export async function sample(n: number, fn: () => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await time(fn));
  return out;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export const median = (xs: number[]) => percentile(xs, 50);

/** One line per figure: value, the baseline from the same run, their ratio, and the target. */
export function report(name: string, value: number, baseline: { name: string; value: number }, target?: string): void {
  const ratio = value / baseline.value;
  console.log(`${name.padEnd(44)} ${value.toFixed(1).padStart(9)} ms   vs ${baseline.name} ${baseline.value.toFixed(1)} ms = ${ratio.toFixed(2)}x${target ? `   (target: ${target})` : ""}`);
}

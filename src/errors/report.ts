// Renders an error for the terminal or for --json. User errors get one clear block;
// a stack trace only with --verbose or for unexpected errors.
import { isDevenvError, isStepFailures } from "./devenv-error.js";
import type { Style } from "../ui/style.js";

export interface ErrorReport {
  message: string;
  where?: string;
  hint?: string;
  details?: string;
  exitCode: number;
  /** Several steps failed: one report each, in step order (`step` names it). */
  failures?: (ErrorReport & { steps: string[] })[];
}

export function toReport(err: unknown): ErrorReport {
  if (isStepFailures(err)) {
    return { message: err.message, exitCode: err.exitCode, failures: distinctFailures(err.failures).map(({ steps, error }) => ({ ...toReport(error), steps })) };
  }
  if (isDevenvError(err)) {
    return { message: err.message, where: err.where, hint: err.hint, details: err.details, exitCode: err.exitCode };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { message: `unexpected error: ${message}`, hint: "this is a bug in devenv; rerun with --verbose and report it", exitCode: 1 };
}

/** The failures with one entry per distinct error (same message, where and hint): the steps it failed listed together. */
function distinctFailures(failures: { step: string; error: unknown }[]): { steps: string[]; error: unknown }[] {
  const out: { key: string; steps: string[]; error: unknown }[] = [];
  for (const f of failures) {
    const r = toReport(f.error);
    const key = JSON.stringify([r.message, r.where, r.hint]);
    const same = out.find((o) => o.key === key || o.error === f.error);
    if (same) same.steps.push(f.step);
    else out.push({ key, steps: [f.step], error: f.error });
  }
  return out;
}

export function formatError(err: unknown, style: Style, verbose: boolean): string {
  if (isStepFailures(err)) {
    const blocks = distinctFailures(err.failures);
    const head = `${style.red("✗")} ${blocks.length === 1 ? "1 error" : `${blocks.length} errors`} (${err.failures.length} step${err.failures.length > 1 ? "s" : ""} failed: ${err.failures.map((f) => f.step).join(", ")})`;
    return [head, ...blocks.map((b) => `${style.dim(`[${b.steps.join(", ")}]`)} ${formatError(b.error, style, verbose)}`)].join("\n");
  }
  const r = toReport(err);
  const lines = [`${style.red("✗ error:")} ${r.message}`];
  if (r.where) lines.push(`  ${style.dim("at")} ${r.where}`);
  if (r.details) lines.push(...r.details.trimEnd().split("\n").map((l) => `  ${style.dim("│")} ${l}`));
  if (r.hint) lines.push(`  ${style.cyan("hint:")} ${r.hint}`);
  if (verbose || !isDevenvError(err)) {
    const stack = err instanceof Error ? err.stack : undefined;
    if (stack) lines.push(style.dim(stack));
    let cause = err instanceof Error ? (err.cause as unknown) : undefined;
    while (verbose && cause instanceof Error) {
      lines.push(style.dim(`caused by: ${cause.stack ?? cause.message}`));
      cause = cause.cause;
    }
  }
  return lines.join("\n");
}

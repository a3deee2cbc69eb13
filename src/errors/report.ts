// Renders an error for the terminal or for --json. User errors get one clear block;
// a stack trace only with --verbose or for unexpected errors.
import { isDevenvError } from "./devenv-error.js";
import type { Style } from "../ui/style.js";

export interface ErrorReport {
  message: string;
  where?: string;
  hint?: string;
  details?: string;
  exitCode: number;
}

export function toReport(err: unknown): ErrorReport {
  if (isDevenvError(err)) {
    return { message: err.message, where: err.where, hint: err.hint, details: err.details, exitCode: err.exitCode };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { message: `unexpected error: ${message}`, hint: "this is a bug in devenv; rerun with --verbose and report it", exitCode: 1 };
}

export function formatError(err: unknown, style: Style, verbose: boolean): string {
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

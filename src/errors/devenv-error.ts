// The one error type for everything a user can fix: what went wrong, where, and how to fix it.
// The CLI prints these without a stack trace (see report.ts); anything else is a bug.

/** Exit codes, documented in the README. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2, // bad usage or bad configuration
  drift: 3, // compare-compose found drift
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface DevenvErrorOptions {
  /** Where: a config path such as `images.backend.context`, or `file:line:col`. */
  where?: string;
  /** How to fix it, in one or two sentences. */
  hint?: string;
  /** Exit code; defaults to 1 (failure). Config and usage errors use 2. */
  exitCode?: ExitCode;
  /** The underlying error (execa, dockerode, the Kubernetes API client), kept for --verbose. */
  cause?: unknown;
  /** Output of a failed command, shown below the message. */
  details?: string;
}

export class DevenvError extends Error {
  readonly where?: string;
  readonly hint?: string;
  readonly exitCode: ExitCode;
  readonly details?: string;

  constructor(message: string, opts: DevenvErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "DevenvError";
    this.where = opts.where;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? ExitCode.failure;
    this.details = opts.details;
  }
}

/** A configuration or usage error (exit 2). */
export function configError(message: string, where: string | undefined, hint?: string, cause?: unknown): DevenvError {
  return new DevenvError(message, { where, hint, exitCode: ExitCode.usage, cause });
}

export function isDevenvError(e: unknown): e is DevenvError {
  return e instanceof DevenvError || (e instanceof Error && e.name === "DevenvError" && "exitCode" in e);
}

/** Several steps of one run failed: each failure keeps its own error (and hint), in step order. */
export class StepFailures extends DevenvError {
  readonly failures: { step: string; title: string; error: unknown }[];

  constructor(failures: { step: string; title: string; error: unknown }[]) {
    super(`${failures.length} steps failed: ${failures.map((f) => f.step).join(", ")}`, { exitCode: Math.max(...failures.map((f) => (isDevenvError(f.error) ? f.error.exitCode : ExitCode.failure))) as ExitCode });
    this.name = "DevenvError";
    this.failures = failures;
  }
}

export function isStepFailures(e: unknown): e is StepFailures {
  return e instanceof StepFailures;
}

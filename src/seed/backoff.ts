// Waiting for a server with exponential backoff: retry what `retryable` says is transient
// (refused, reset, still starting) until a deadline, then fail with one clear error.
import { DevenvError } from "../errors/devenv-error.js";

export interface BackoffOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** First delay; doubles each attempt up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Whether an error is worth retrying (else it is thrown at once). */
  retryable(e: unknown): boolean;
  /** The error to throw when the deadline passes, given the last failure. */
  giveUp(last: unknown, waitedMs: number): DevenvError;
}

/** Calls `attempt` until it succeeds, a non-retryable error occurs, or the deadline passes. */
export async function withBackoff<T>(attempt: () => Promise<T>, o: BackoffOptions): Promise<T> {
  const start = Date.now();
  let delay = o.initialDelayMs ?? 100;
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      if (!o.retryable(e)) throw e;
      const waited = Date.now() - start;
      if (waited + delay > o.timeoutMs) throw o.giveUp(e, waited);
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, o.maxDelayMs ?? 2000);
    }
  }
}

/** Node socket errors that mean "not up yet". */
export function isTransientNetworkError(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return ["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EPIPE", "EAI_AGAIN"].includes(code ?? "");
}

/** The message of an unknown thrown value. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

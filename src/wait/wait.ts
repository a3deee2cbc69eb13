// One way to wait, in the spirit of testcontainers' wait strategies: a check returns a verdict
// (done, not yet and why, or failed and why) and is asked again until it is done, it has failed,
// or the time is up. Scheduling, backoff and the abort signal are p-retry's; what is ours is the
// verdict, one debug line per change of state, and the error: on timeout it names what was
// awaited, for how long, and the last reason seen.
import pRetry, { AbortError } from "p-retry";
import { debugFor } from "../debug/index.js";
import { DevenvError } from "../errors/devenv-error.js";

const debug = debugFor("wait");

/** What one check found. */
export type Verdict<T = void> =
  | { state: "done"; value: T }
  | { state: "waiting"; reason: string }
  /** `error`, when given, is thrown as it is (an explained failure); else one is made from `reason`. */
  | { state: "failed"; reason: string; error?: unknown };

export function done(): Verdict<void>;
export function done<T>(value: T): Verdict<T>;
export function done<T>(value?: T): Verdict<T | undefined> {
  return { state: "done", value };
}

/** Not there yet; `reason` is what the timeout error says if this stays the last word. */
export function notYet(reason: string): Verdict<never> {
  return { state: "waiting", reason };
}

/** Will not get there: the wait ends at once. */
export function failed(reason: string, error?: unknown): Verdict<never> {
  return { state: "failed", reason, error };
}

/** What a check is given: which attempt this is, and a signal that aborts at the deadline (or with the caller's signal). */
export interface CheckContext {
  attempt: number;
  signal: AbortSignal;
}

/** More for the error: replaces the default `where`, `hint`, and adds `details` (logs, events). */
export interface Explanation {
  where?: string;
  hint?: string;
  details?: string;
}

export interface WaitOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** Pause between checks (default 1000 ms). */
  intervalMs?: number;
  /** With this, the pause doubles after each check, from `intervalMs` up to `maxIntervalMs`. */
  maxIntervalMs?: number;
  /** Ends the wait early: it rejects with the signal's reason. */
  signal?: AbortSignal;
  /** `where` and `hint` of the error made on timeout (or for a failed verdict without an error). */
  where?: string;
  hint?: string;
  /** Called on timeout with the last reason, to explain more (e.g. the logs of what is stuck). */
  explain?: (lastReason: string | undefined) => Explanation | Promise<Explanation>;
}

const DEFAULT_HINT = "run again with `-v` (or DEVENV_DEBUG=1) to see each change of state during the wait";

/** `1500` → `1.5 s`, `180000` → `180 s`. */
export function formatWait(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 0))} s`;
}

class NotYet extends Error {}

/**
 * Asks `check` until its verdict is done (returns the value), failed (throws), or `timeoutMs` has
 * passed (throws `timed out after … waiting for <what>: <last reason>`). A check that throws
 * ends the wait with that error. Checks never overlap; a check should not hang (use its signal).
 */
export async function waitFor<T>(what: string, check: (ctx: CheckContext) => Verdict<T> | Promise<Verdict<T>>, o: WaitOptions): Promise<T> {
  const started = performance.now();
  const deadline = AbortSignal.timeout(o.timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, deadline]) : deadline;
  const interval = o.intervalMs ?? 1000;
  const note = (line: string) => debug(`${what}: ${line} (${formatWait(performance.now() - started)})`);
  let last: string | undefined;
  let ended: { error: unknown } | undefined;
  note(`waiting, at most ${formatWait(o.timeoutMs)}`);
  try {
    return await pRetry(
      async (attempt) => {
        let v: Verdict<T>;
        try {
          v = await check({ attempt, signal });
        } catch (error) {
          note(`check threw: ${error instanceof Error ? error.message : String(error)}`);
          ended = { error };
          throw new AbortError("the check threw");
        }
        if (v.state === "done") {
          note(`done after ${attempt} check${attempt === 1 ? "" : "s"}`);
          return v.value;
        }
        if (v.state === "failed") {
          note(`failed: ${v.reason}`);
          ended = { error: v.error ?? new DevenvError(`${what} failed: ${v.reason}`, { where: o.where, hint: o.hint }) };
          throw new AbortError(v.reason);
        }
        if (v.reason !== last) note(`not yet: ${v.reason}`);
        last = v.reason;
        throw new NotYet(v.reason);
      },
      { retries: Infinity, maxRetryTime: o.timeoutMs, minTimeout: interval, maxTimeout: o.maxIntervalMs ?? interval, factor: o.maxIntervalMs ? 2 : 1, signal: o.signal },
    );
  } catch (e) {
    if (ended) throw ended.error;
    if (o.signal?.aborted) {
      note("stopped");
      throw o.signal.reason;
    }
    if (!(e instanceof NotYet)) throw e;
    note(`timed out; last: ${last || "(no reason given)"}`);
    // Explaining is best effort: a failure to gather logs must not hide the timeout.
    const more = (await (async () => o.explain?.(last))().catch((x: unknown) => void note(`explain failed: ${String(x)}`))) ?? {};
    throw new DevenvError(`timed out after ${formatWait(o.timeoutMs)} waiting for ${what}${last ? `: ${last}` : ""}`, {
      where: more.where ?? o.where,
      hint: more.hint ?? o.hint ?? DEFAULT_HINT,
      details: more.details,
    });
  }
}

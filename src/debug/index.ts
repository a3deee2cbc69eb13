// One debug channel: every command, Docker call and API request that goes through a funnel is
// said here, on stderr, when DEVENV_DEBUG is set (any value; a `debug` pattern such as
// `devenv:kube` narrows it) or `-v` is given. Secret arguments are redacted before printing.
import createDebug from "debug";

const ROOT = "devenv";

/** Turns the channel on (for `-v`), unless DEVENV_DEBUG already chose what to show. */
export function enableDebug(): void {
  createDebug.enable(process.env.DEVENV_DEBUG && process.env.DEVENV_DEBUG !== "1" ? process.env.DEVENV_DEBUG : `${ROOT}:*`);
}

if (process.env.DEVENV_DEBUG) enableDebug();

/** A logger for one funnel (or `step`: how long each step of `up` took): `debugFor("exec")("kind get clusters")` prints `devenv:exec kind get clusters`.
 *  A function is called only when the channel is on (for lines that cost something to make, e.g. redaction). */
export function debugFor(funnel: "exec" | "docker" | "kube" | "compose" | "wait" | "step" | "config"): (line: string | (() => string)) => void {
  const d = createDebug(`${ROOT}:${funnel}`);
  return (line) => {
    if (d.enabled) d(typeof line === "function" ? line() : line);
  };
}

// What a call throws, when the test expects devenv's own error (exit code, where, hint).
import { DevenvError, isDevenvError } from "../../src/errors/devenv-error.js";

/** The DevenvError `f` throws; anything else thrown is rethrown, and not throwing fails. */
export function thrown(f: () => unknown): DevenvError {
  try {
    f();
  } catch (e) {
    if (isDevenvError(e)) return e;
    throw e;
  }
  throw new Error("expected an error");
}

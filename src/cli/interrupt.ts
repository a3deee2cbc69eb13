// Ctrl-C and SIGTERM. By default a signal ends devenv at once with the shell's code (130, 143)
// and one line saying how to finish: every step is idempotent, so the next `devenv up`
// completes what this one left. A command that has its own way to stop (a watch) takes the
// signal instead, for as long as it runs.
const CODES = { SIGINT: 130, SIGTERM: 143 } as const;
type Signal = keyof typeof CODES;

let handler: ((signal: Signal) => void) | undefined;
let hint = "run the same command again to finish what it started";

/** Installs the default handlers once, for the process. */
export function installSignalHandlers(err: (line: string) => void): void {
  for (const signal of Object.keys(CODES) as Signal[]) {
    process.on(signal, () => {
      if (handler) return handler(signal);
      err(`\ninterrupted (${signal}): ${hint}`);
      process.exit(CODES[signal]);
    });
  }
}

/** What the interrupted line advises, e.g. "run `devenv up` again: it completes what this one started". */
export function setInterruptHint(text: string): void {
  hint = text;
}

/** Resolves on the next Ctrl-C or SIGTERM instead of exiting: how a watch ends. */
export function untilInterrupted(): Promise<Signal> {
  return new Promise((resolve) => {
    handler = (signal) => {
      handler = undefined;
      resolve(signal);
    };
  });
}

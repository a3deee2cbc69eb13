// "Are you sure?" for destructive commands: asks on a terminal, demands --yes otherwise.
import { createInterface } from "node:readline/promises";
import type { Readable, Writable } from "node:stream";
import { DevenvError, ExitCode } from "../errors/devenv-error.js";

export interface ConfirmOptions {
  /** --yes was given. */
  yes: boolean;
  /** The command, for the message, e.g. `devenv reset --all`. */
  command: string;
  input?: Readable & { isTTY?: boolean };
  output?: Writable;
}

/** True to go ahead; false when the user answers anything but y/yes. Throws without a TTY and without --yes. */
export async function confirm(question: string, o: ConfirmOptions): Promise<boolean> {
  if (o.yes) return true;
  const input = o.input ?? process.stdin;
  if (!input.isTTY) {
    throw new DevenvError(`\`${o.command}\` needs confirmation, and stdin is not a terminal`, { exitCode: ExitCode.usage, hint: `rerun it with --yes: \`${o.command} --yes\`` });
  }
  const rl = createInterface({ input, output: o.output ?? process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

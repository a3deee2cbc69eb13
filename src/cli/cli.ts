// What every command receives: the global flags, colour, and the two output streams
// (results to stdout, progress and errors to stderr).
import type { Style } from "../ui/style.js";

export interface GlobalOptions {
  env: string;
  dryRun: boolean;
  json: boolean;
  yes: boolean;
  verbose: boolean;
  color: boolean;
}

export interface Cli {
  opts: GlobalOptions;
  style: Style;
  cwd: string;
  /** Write a result line to stdout. */
  out(text: string): void;
  /** Write a progress / diagnostic line to stderr. */
  err(text: string): void;
}

/** A command: parses nothing itself (commander did), returns the exit code. */
export type Command<O = Record<string, unknown>> = (cli: Cli, opts: O, args: string[]) => Promise<number>;

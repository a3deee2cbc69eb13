// Every subprocess goes through here: one place that turns "not installed" and non-zero exits
// into DevenvErrors carrying the command and its output. Tests swap the PATH to point at
// recording executables rather than mocking this module.
import type { Options, Result } from "execa";
import { quote } from "shell-quote";
import whichPath from "which";
import { debugFor } from "../debug/index.js";
import { DevenvError } from "../errors/devenv-error.js";
import { redactArgv } from "../redact/secrets.js";

const debug = debugFor("exec");

/** `cmd arg…` as a shell would read it, secrets redacted: for messages and the debug channel. */
export function commandLine(cmd: string, args: readonly string[]): string {
  return quote(redactArgv([cmd, ...args]));
}

export interface RunOptions {
  cwd?: string;
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Hint shown when the command is not installed. */
  installHint?: string;
  /** Hint shown when the command fails. */
  failHint?: string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** execa, loaded on the first command: a command that starts no process (a no-op `up`, `status`)
 *  does not pay its ~0.1-0.2 s of module loading. */
const loadExeca = async () => (await import("execa")).execa;

/** Runs `cmd args`, buffering output; throws a DevenvError with the output on failure. */
export async function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  debug(() => commandLine(cmd, args));
  try {
    const execa = await loadExeca();
    const r = await execa(cmd, args, {
      cwd: opts.cwd,
      input: opts.input,
      env: opts.env,
      timeout: opts.timeoutMs,
      stripFinalNewline: true,
    } satisfies Options);
    return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? 0 };
  } catch (e) {
    throw toDevenvError(cmd, args, e, opts);
  }
}

/** Like run() but returns the result instead of throwing on a non-zero exit. */
export async function tryRun(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  debug(() => commandLine(cmd, args));
  try {
    const execa = await loadExeca();
    const r = await execa(cmd, args, { cwd: opts.cwd, input: opts.input, env: opts.env, timeout: opts.timeoutMs, reject: false });
    if ((r as { code?: string }).code === "ENOENT") throw notInstalled(cmd, opts);
    return { stdout: String(r.stdout ?? ""), stderr: String(r.stderr ?? ""), exitCode: r.exitCode ?? 1 };
  } catch (e) {
    if (e instanceof DevenvError) throw e;
    throw toDevenvError(cmd, args, e, opts);
  }
}

/** Starts a long-running process with inherited or piped stdio (compose up, logs -f). */
export async function spawn(cmd: string, args: string[], opts: Options = {}): Promise<Result> {
  debug(() => commandLine(cmd, args));
  return (await loadExeca())(cmd, args, opts);
}

/** Whether `cmd` is on PATH (resolved without running it). */
export async function which(cmd: string): Promise<string | undefined> {
  return (await whichPath(cmd, { nothrow: true })) ?? undefined;
}

function notInstalled(cmd: string, opts: RunOptions): DevenvError {
  return new DevenvError(`${cmd} is not installed (not found on PATH)`, { hint: opts.installHint ?? `install ${cmd}, then run \`devenv doctor\`` });
}

function toDevenvError(cmd: string, args: string[], e: unknown, opts: RunOptions): DevenvError {
  const err = e as { code?: string; exitCode?: number; stderr?: unknown; stdout?: unknown; timedOut?: boolean; shortMessage?: string };
  if (err.code === "ENOENT") return notInstalled(cmd, opts);
  const output = [String(err.stderr ?? ""), String(err.stdout ?? "")].filter((s) => s.trim()).join("\n").trim();
  const what = err.timedOut ? `timed out after ${opts.timeoutMs} ms` : `exited with code ${err.exitCode ?? "?"}`;
  return new DevenvError(`\`${commandLine(cmd, args)}\` ${what}`, { details: tail(output, 30), hint: opts.failHint, cause: e });
}

function tail(text: string, lines: number): string {
  const all = text.split("\n");
  return all.length > lines ? ["…", ...all.slice(-lines)].join("\n") : text;
}

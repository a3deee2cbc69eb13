// `devenv logs <service> [-f] [--tail N] [--target compose]`: every pod's logs, prefixed.
import type { Command } from "../cli.js";
import { loadEnv } from "../../config/load.js";
import { DevenvError, ExitCode } from "../../errors/devenv-error.js";
import { envRest } from "../../cluster/env-rest.js";
import { streamLogs } from "../../kube/logs.js";

export interface LogsCommandOptions {
  follow?: boolean;
  tail?: string;
  target?: "cluster" | "compose";
}

const logs: Command<LogsCommandOptions> = async (cli, opts, args) => {
  const service = args[0];
  if (!service) throw new DevenvError("which service? `devenv logs <service>`", { exitCode: ExitCode.usage });
  const tail = Number(opts.tail ?? 100);
  if (!Number.isInteger(tail) || tail < 0) throw new DevenvError(`--tail must be a whole number, not "${opts.tail}"`, { exitCode: ExitCode.usage });
  const env = await loadEnv(cli.opts.env, cli.cwd);
  if (opts.target === "compose") {
    const { composeLogs } = await import("../../compose/run.js");
    await composeLogs(env, service, Boolean(opts.follow), tail);
    return 0;
  }
  const rest = await envRest(env);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  try {
    await streamLogs(rest, env.namespace, service, { follow: Boolean(opts.follow), tail, signal: stop.signal }, (line) => cli.out(line));
  } finally {
    process.off("SIGINT", onSignal);
  }
  return 0;
};
export default logs;

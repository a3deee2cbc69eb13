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
    const { composeLogs, composePs, loadEnvCompose } = await import("../../compose/run.js");
    const { composeProjectName } = await import("../../compose/project-name.js");
    const project = composeProjectName(env);
    // An unknown name is a usage error, told without asking the engine.
    const known = Object.keys(loadEnvCompose(env).services);
    if (!known.includes(service)) throw new DevenvError(`no compose service "${service}" in ${env.config.compose!.files.join(", ")}`, { exitCode: ExitCode.usage, hint: `services: ${known.join(", ")}` });
    const containers = (await composePs(env)).filter((c) => c.service === service);
    if (containers.length === 0) {
      // No container at all: compose would print nothing and exit 0.
      throw new DevenvError(`compose service "${service}" is not running: project "${project}" has no container for it`, { hint: "start the stack: `devenv up --target compose`" });
    }
    // Stopped containers still have their logs (why they stopped); show them, then say so.
    const running = containers.some((c) => c.state === "running" || c.state === "restarting");
    await composeLogs(env, service, Boolean(opts.follow) && running, tail);
    if (!running) {
      throw new DevenvError(`compose service "${service}" is not running (${containers.map((c) => `${c.state}${c.state === "exited" ? ` ${c.exitCode}` : ""}`).join(", ")}): the logs above are from its last run`, { hint: "start the stack: `devenv up --target compose`" });
    }
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

// `devenv status`: the environment's workloads (ready/desired, state) and Ingress URLs.
import type { Command } from "../cli.js";
import { loadEnv } from "../../config/load.js";
import { envRest } from "../../cluster/env-rest.js";
import { collectStatus } from "../../kube/workloads.js";

const status: Command<{ target?: string }> = async (cli, opts) => {
  const env = await loadEnv(cli.opts.env, cli.cwd);
  if (opts.target === "compose") return (await import("./status-compose.js")).composeStatus(cli, env);
  const rest = await envRest(env);
  const st = await collectStatus(rest, env.namespace, env.config.cluster.ports);
  const failed = st.workloads.some((w) => w.state === "failed");
  if (cli.opts.json) {
    cli.out(JSON.stringify({ environment: env.config.name, context: rest.context, ...st }, null, 2));
    return failed ? 1 : 0;
  }
  const { style: s } = cli;
  const mark = { ready: s.green("✓"), complete: s.green("✓"), progressing: s.yellow("…"), failed: s.red("✗"), stopped: s.dim("■") };
  cli.out(`${env.config.name} in namespace ${env.namespace} (context ${rest.context})`);
  if (st.workloads.length === 0) cli.out("  nothing deployed yet: run `devenv up`");
  const width = Math.max(0, ...st.workloads.map((w) => `${w.kind}/${w.name}`.length));
  for (const w of st.workloads) {
    cli.out(`  ${mark[w.state]} ${`${w.kind}/${w.name}`.padEnd(width)}  ${w.readyReplicas}/${w.desired} ${w.state}${w.detail ? `: ${w.detail}` : ""}`);
  }
  if (st.urls.length) cli.out(`\nURLs:\n${st.urls.map((u) => `  ${u}`).join("\n")}`);
  return failed ? 1 : 0;
};
export default status;

// `devenv status`: the environment's workloads (ready/desired, state) and Ingress URLs.
import type { Command } from "../cli.js";
import { loadEnv } from "../../config/load.js";
import { envRest } from "../../cluster/env-rest.js";
import { collectStatus } from "../../kube/workloads.js";

const status: Command<{ target?: string }> = async (cli, opts) => {
  const env = await loadEnv(cli.opts.env, cli.cwd);
  if (opts.target === "compose") return (await import("./status-compose.js")).composeStatus(cli, env);
  const rest = await envRest(env);
  const collected = await collectStatus(rest, env.namespace, env.config.cluster.ports);
  // An Ingress object is no proof of an answer: list a URL only when something serves it.
  const answers = await Promise.all(collected.urls.map(answersHttp));
  const st = { ...collected, urls: collected.urls.filter((_, i) => answers[i]), unreachableUrls: collected.urls.filter((_, i) => !answers[i]) };
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
  if (st.unreachableUrls.length) cli.out(`\n${s.yellow("!")} no answer on ${st.unreachableUrls.join(", ")}: is the ingress controller running? (\`devenv up\` installs it)`);
  return failed ? 1 : 0;
};
export default status;

/** Whether anything answers HTTP at `url` within 1.5 s (any status counts: the ingress answered).
 *  `*.localhost` names are sent to 127.0.0.1 with their Host header, as browsers resolve them. */
async function answersHttp(url: string): Promise<boolean> {
  const u = new URL(url);
  const local = u.hostname === "localhost" || u.hostname.endsWith(".localhost");
  const lib = u.protocol === "https:" ? await import("node:https") : await import("node:http");
  return new Promise((resolve) => {
    const req = lib.request(
      { method: "HEAD", host: local ? "127.0.0.1" : u.hostname, port: u.port || (u.protocol === "https:" ? 443 : 80), path: u.pathname, headers: { Host: u.host }, servername: u.hostname, rejectUnauthorized: false, timeout: 1500 },
      (res) => {
        res.resume();
        resolve(true);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

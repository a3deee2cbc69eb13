// `devenv down`: stop the environment, keeping data: scale its workloads to zero (default),
// stop the cluster's node containers (--nodes), or `compose down` (--target compose).
import type { Command } from "../cli.js";
import type { Target } from "../../model/index.js";
import { loadEnv } from "../../config/load.js";
import { providerFor } from "../../cluster/provider-for.js";

interface DownOptions {
  target?: Target;
  nodes?: boolean;
}

const down: Command<DownOptions> = async (cli, opts) => {
  const env = await loadEnv(cli.opts.env, cli.cwd);
  if (opts.target === "compose") {
    if (cli.opts.dryRun) return dry(cli, "would run `compose down` (volumes kept)");
    const { composeDown } = await import("../../compose/run.js");
    await composeDown(env, { volumes: false });
    cli.err("✓ compose services stopped (volumes kept)");
    return 0;
  }
  const p = await providerFor(env);
  if (opts.nodes) {
    if (cli.opts.dryRun) return dry(cli, `would stop the node containers of ${p.provider} cluster ${p.name}`);
    await p.stop();
    cli.err(`✓ stopped the nodes of ${p.provider} cluster ${p.name}; \`devenv up\` starts them again`);
    return 0;
  }
  if (cli.opts.dryRun) return dry(cli, `would scale the Deployments and StatefulSets of "${env.config.name}" in namespace ${env.namespace} to 0`);
  const { KubeRest } = await import("../../kube/rest.js");
  const { scaleToZero } = await import("../../kube/scale.js");
  const scaled = await scaleToZero(await KubeRest.forContext(p.context), env.namespace, env.config.name);
  if (cli.opts.json) cli.out(JSON.stringify({ outcome: "ok", scaled }, null, 2));
  cli.err(scaled.length ? `✓ scaled to 0: ${scaled.join(", ")} (data kept; \`devenv up\` brings them back)` : "nothing to scale: no running workloads of this environment");
  return 0;
};
export default down;

function dry(cli: Parameters<Command>[0], line: string): number {
  cli.out(line);
  return 0;
}

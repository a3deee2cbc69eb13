// `devenv down`: stop the environment, keeping data: scale its workloads to zero (default),
// stop the cluster's node containers (--nodes), or `compose down` (--target compose).
import type { Command } from "../cli.js";
import type { Target } from "../../model/index.js";
import { loadEnv, type LoadedEnv } from "../../config/load.js";
import { providerFor } from "../../cluster/provider-for.js";

interface DownOptions {
  target?: Target;
  nodes?: boolean;
}

const down: Command<DownOptions> = async (cli, opts) => {
  const env = await loadEnv(cli.opts.env, cli.cwd);
  if (opts.target === "compose") {
    if (cli.opts.dryRun) return dry(cli, "would run `compose down` (volumes kept)");
    const { composeDown, composePs } = await import("../../compose/run.js");
    const { composeProjectName } = await import("../../compose/project-name.js");
    const before = await composePs(env);
    await composeDown(env, { volumes: false });
    const services = [...new Set(before.map((s) => s.service))].sort();
    const running = [...new Set(before.filter((s) => s.state === "running").map((s) => s.service))].sort();
    const project = composeProjectName(env);
    if (cli.opts.json) cli.out(JSON.stringify({ outcome: "ok", project, removedContainers: before.length, services, wasRunning: running }, null, 2));
    cli.err(
      before.length
        ? `✓ stopped and removed ${before.length} container${before.length > 1 ? "s" : ""} of compose project ${project}: ${services.join(", ")}${running.length < services.length ? ` (of them running: ${running.join(", ") || "none"})` : ""}; volumes kept, \`devenv up --target compose\` starts them again`
        : `nothing to stop: compose project ${project} has no containers (removed its network if one was left)`,
    );
    await pruneTags(cli, env);
    return 0;
  }
  const p = await providerFor(env);
  if (opts.nodes) {
    if (cli.opts.dryRun) return dry(cli, `would stop the node containers of ${p.provider} cluster ${p.name}`);
    await p.stop();
    cli.err(`✓ stopped the nodes of ${p.provider} cluster ${p.name}; \`devenv up\` starts them again`);
    await pruneTags(cli, env);
    return 0;
  }
  if (cli.opts.dryRun) return dry(cli, `would scale the Deployments and StatefulSets of "${env.config.name}" in namespace ${env.namespace} to 0`);
  const { KubeRest } = await import("../../kube/rest.js");
  const { scaleToZero } = await import("../../kube/scale.js");
  const scaled = await scaleToZero(await KubeRest.forContext(p.context), env.namespace, env.config.name);
  if (cli.opts.json) cli.out(JSON.stringify({ outcome: "ok", scaled }, null, 2));
  cli.err(scaled.length ? `✓ scaled to 0: ${scaled.join(", ")} (data kept; \`devenv up\` brings them back)` : "nothing to scale: no running workloads of this environment");
  await pruneTags(cli, env);
  return 0;
};

/** Removes the env's old content tags (the newest few per image stay) and says so; never fails `down`. */
async function pruneTags(cli: Parameters<Command>[0], env: LoadedEnv): Promise<void> {
  if (Object.keys(env.config.images).length === 0) return;
  const { contentTagRepositories, describePrune, pruneContentTags } = await import("../../images/prune.js");
  try {
    const line = describePrune(await pruneContentTags(contentTagRepositories(env.config)));
    if (line) cli.err(`✓ ${line}`);
  } catch (e) {
    cli.err(`! old content tags not removed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
export default down;

function dry(cli: Parameters<Command>[0], line: string): number {
  cli.out(line);
  return 0;
}

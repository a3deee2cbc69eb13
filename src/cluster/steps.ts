// The step of `up` that creates or reuses the cluster (issue #6), and wires the local
// registry into it when devenv.ts enables one.
import type { Step } from "../steps/step.js";
import type { UpContext, ClusterHandle } from "../steps/context.js";
import type { LoadedEnv } from "../config/load.js";
import { configError } from "../errors/devenv-error.js";
import { ensureCluster, providerFor, type ClusterProvider } from "./provider.js";
import { connectRegistry, ensureRegistry, writeHostsToml } from "./registry.js";

/** What ensure-cluster would do, with the generated config for the user to read. */
export async function clusterPlan(env: LoadedEnv): Promise<string[]> {
  const p = await providerFor(env);
  const { cluster } = env.config;
  const lines = [`${p.provider} cluster "${p.name}" (context ${p.context}): reuse it if it exists (checking its ports), else create it`];
  const cfg = p.config();
  if (cfg) lines.push(`config (${cfg.file}):`, ...cfg.yaml.trimEnd().split("\n").map((l) => `  ${l}`));
  if (cluster.registry.enabled) {
    lines.push(`registry container "${cluster.registry.name}" on localhost:${cluster.registry.port}, joined to network ${p.network}${p.provider === "kind" ? ", hosts.toml on each node" : ""}`);
  }
  return lines;
}

/** Starts the registry and connects it to the cluster; returns its host-side address. */
export async function wireRegistry(env: LoadedEnv, p: ClusterProvider, nodes: string[]): Promise<string> {
  const reg = env.config.cluster.registry;
  if (!p.network) {
    throw configError("cluster.registry needs a kind or k3d cluster: an existing cluster cannot reach a registry on localhost", `${env.file} (cluster.registry.enabled)`, "set cluster.registry.enabled to false and push to a registry the cluster can reach");
  }
  await ensureRegistry(reg, env.config.imageOverrides, env.file);
  await connectRegistry(reg, p.network);
  // k3d nodes learn the mirror from registries.yaml at creation; kind nodes read hosts.toml.
  if (p.provider === "kind") await writeHostsToml(reg, nodes);
  return `localhost:${reg.port}`;
}

export const ensureClusterStep: Step<UpContext> = {
  id: "ensure-cluster",
  title: "Create or reuse the cluster",
  plan: (ctx) => clusterPlan(ctx.env),
  async run(ctx, task) {
    const p = await providerFor(ctx.env);
    const { created, handle } = await ensureCluster(p, (l) => task.output(l));
    const out: ClusterHandle = { ...handle };
    if (ctx.env.config.cluster.registry.enabled) out.registry = await wireRegistry(ctx.env, p, handle.nodes);
    ctx.cluster = out;
    task.title(`${created ? "Created" : "Reused"} ${p.provider} cluster ${p.name} (${handle.nodes.length || "remote"} node${handle.nodes.length === 1 ? "" : "s"})`);
  },
};

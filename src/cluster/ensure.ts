// Getting the cluster `up` works on: reuse-and-check an existing one or create it from a
// generated config, then wire the local registry into it. clusterPlan() says it for --dry-run.
import type { LoadedEnv } from "../config/load.js";
import { configError, DevenvError } from "../errors/devenv-error.js";
import { kubeconfigSource, kubeContexts } from "../kube/client.js";
import type { ClusterHandle } from "../model/index.js";
import type { ClusterProvider } from "./provider.js";
import { providerFor } from "./provider-for.js";
import { connectRegistry, ensureRegistry, writeHostsToml } from "./registry.js";

/** What ensuring the cluster would do, with the generated config for the user to read. */
export async function clusterPlan(env: LoadedEnv): Promise<string[]> {
  const p = await providerFor(env);
  const { cluster } = env.config;
  const lines = [`${p.provider} cluster "${p.name}" (context ${p.context}): reuse it if it exists (checking its ports), else create it`];
  if (p.traits.managed) lines.push(`ingress ports ${cluster.listenAddress}:${cluster.ports.http} and ${cluster.listenAddress}:${cluster.ports.https}${isLoopback(cluster.listenAddress) ? " (this machine only)" : ` — warning: reachable from other machines on the network (cluster.listenAddress)`}`);
  const cfg = p.config();
  if (cfg) lines.push(`config (${cfg.file}):`, ...cfg.yaml.trimEnd().split("\n").map((l) => `  ${l}`));
  if (cluster.registry.enabled) {
    lines.push(`registry container "${cluster.registry.name}" on localhost:${cluster.registry.port}, joined to network ${p.network}${p.traits.registryMirror === "hosts-toml" ? ", hosts.toml on each node" : ""}`);
  }
  return lines;
}

const isLoopback = (address: string) => address === "::1" || address.startsWith("127.");

/** Reuses (after checking) or creates the cluster; idempotent. */
export async function ensureCluster(p: ClusterProvider, log: (line: string) => void = () => {}): Promise<{ created: boolean; handle: ClusterHandle }> {
  await p.ensureInstalled();
  let created = false;
  if (await p.exists()) {
    await p.verify();
    await p.start(); // after `devenv down --nodes`
    await ensureContext(p, log);
    log(`reusing ${p.provider} cluster ${p.name} (context ${p.context})`);
  } else {
    await p.preflight();
    log(`creating ${p.provider} cluster ${p.name}`);
    await p.create();
    created = true;
  }
  return { created, handle: { provider: p.provider, name: p.name, context: p.context, nodes: await p.nodes() } };
}

const hasContext = async (context: string) => (await kubeContexts().catch(() => [] as string[])).includes(context);

/** The cluster exists but its context is gone (a rewritten or switched kubeconfig): ask the CLI
 *  to write it back (`kind export kubeconfig` / `k3d kubeconfig merge`) rather than stopping. */
export async function ensureContext(p: ClusterProvider, log: (line: string) => void): Promise<void> {
  if (!p.restoreContext || (await hasContext(p.context))) return;
  log(`${p.provider} cluster ${p.name} exists but context ${p.context} is not in ${kubeconfigSource()}: writing it back`);
  await p.restoreContext();
  if (!(await hasContext(p.context))) {
    throw new DevenvError(`${p.provider} cluster "${p.name}" exists, but its context ${p.context} is still not in ${kubeconfigSource()} after asking ${p.provider} to write it`, {
      hint: `check KUBECONFIG (${p.provider} writes the first file it names), or recreate the cluster: \`devenv reset --cluster --yes\` then \`devenv up\``,
    });
  }
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
  if (p.traits.registryMirror === "hosts-toml") await writeHostsToml(reg, nodes);
  return `localhost:${reg.port}`;
}

/** Ensures the cluster and, when devenv.ts enables it, its registry. */
export async function ensureEnvCluster(env: LoadedEnv, log: (line: string) => void = () => {}): Promise<{ created: boolean; provider: ClusterProvider; handle: ClusterHandle }> {
  const p = await providerFor(env);
  const { created, handle } = await ensureCluster(p, log);
  const { listenAddress } = env.config.cluster;
  if (p.traits.managed && !isLoopback(listenAddress)) log(`warning: the ingress ports listen on ${listenAddress}: other machines on the network reach the stack (cluster.listenAddress)`);
  const out: ClusterHandle = { ...handle };
  if (env.config.cluster.registry.enabled) out.registry = await wireRegistry(env, p, handle.nodes);
  return { created, provider: p, handle: out };
}

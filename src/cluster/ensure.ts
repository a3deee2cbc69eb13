// Getting the cluster `up` works on: reuse-and-check an existing one or create it from a
// generated config, then wire the local registry into it. clusterPlan() says it for --dry-run.
import type { LoadedEnv } from "../config/load.js";
import { configError, DevenvError } from "../errors/devenv-error.js";
import { kubeconfigSource, kubeContexts } from "../kube/client.js";
import type { ClusterHandle } from "../model/index.js";
import type { ClusterProvider } from "./provider.js";
import { providerFor } from "./provider-for.js";
import { applyOverride } from "../config/overrides.js";
import { KubeRest } from "../kube/rest.js";
import { connectRegistry, ensureRegistry, mirrorWired, REGISTRY_IMAGE, registryVolume, writeHostsToml } from "./registry.js";
import { HOSTING_CONFIGMAP, imageRegistryFor, managedRegistry } from "./registry-hosting.js";

/** What ensuring the cluster would do, with the generated config for the user to read. */
export async function clusterPlan(env: LoadedEnv): Promise<string[]> {
  const p = await providerFor(env);
  const { cluster } = env.config;
  const lines = [`${p.provider} cluster "${p.name}" (context ${p.context}): reuse it if it exists (checking its ports), else create it`];
  if (p.traits.managed) lines.push(`ingress ports ${cluster.listenAddress}:${cluster.ports.http} and ${cluster.listenAddress}:${cluster.ports.https}${isLoopback(cluster.listenAddress) ? " (this machine only)" : ` — warning: reachable from other machines on the network (cluster.listenAddress)`}`);
  const cfg = p.config();
  if (cfg) lines.push(`config (${cfg.file}):`, ...cfg.yaml.trimEnd().split("\n").map((l) => `  ${l}`));
  if (managedRegistry(cluster)) {
    lines.push(
      `local registry container "${cluster.registry.name}" (image ${applyOverride(REGISTRY_IMAGE, env.config.imageOverrides)}, storage in volume ${registryVolume(cluster.registry)}) on localhost:${cluster.registry.port}, joined to network ${p.network}${p.traits.registryMirror === "hosts-toml" ? ", hosts.toml on each node" : ""}; devenv's images are pushed there (only changed layers travel)`,
      `  if it cannot start (port ${cluster.registry.port} taken, image not cached and not pullable), this run imports the images into the nodes instead; opt out with cluster.registry.enabled: false`,
    );
  } else if (p.traits.managed) {
    lines.push("no local registry (cluster.registry.enabled: false): devenv's images are imported into each node");
  } else if (cluster.registry.enabled) {
    lines.push(cluster.registry.host ? `devenv's images are pushed to ${cluster.registry.host} (cluster.registry.host)` : `devenv's images are pushed to the registry the cluster advertises in ${HOSTING_CONFIGMAP.namespace}/${HOSTING_CONFIGMAP.name}, if any (else nothing is loaded)`);
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
export async function wireRegistry(env: LoadedEnv, p: ClusterProvider, nodes: string[], o: { readyTimeoutMs?: number } = {}): Promise<string> {
  const reg = env.config.cluster.registry;
  if (!p.network) {
    throw configError("devenv's registry container needs a kind or k3d cluster: an existing cluster cannot reach a registry on localhost", `${env.file} (cluster.registry)`, "name the cluster's registry in cluster.registry.host, or publish it in kube-public/local-registry-hosting (KEP-1755)");
  }
  await ensureRegistry(reg, env.config.imageOverrides, env.file, o);
  await connectRegistry(reg, p.network);
  // k3d nodes learn the mirror from registries.yaml at creation; kind nodes read hosts.toml.
  if (p.traits.registryMirror === "hosts-toml") await writeHostsToml(reg, nodes);
  return `localhost:${reg.port}`;
}

/** The warning `up` prints when the registry cannot start and this run imports into the nodes instead. Pure. */
export function registryFallbackLines(reg: { name: string; port: number }, e: unknown): string[] {
  const what = e instanceof Error ? e.message : String(e);
  const hint = e instanceof DevenvError ? e.hint : undefined;
  return [
    `warning: the local registry ${reg.name} (localhost:${reg.port}) cannot start: ${what}`,
    `  this run imports the images into each node instead (every load sends the whole image, not only the changed layers)`,
    ...(hint ? [`  fix: ${hint}`] : []),
    `  or opt out for good: cluster.registry.enabled: false in devenv.ts`,
  ];
}

/** Ensures the cluster and its registry: devenv's container for kind/k3d (unless opted out; when it
 *  cannot start this run falls back to node import), the advertised one for `existing`. */
export async function ensureEnvCluster(env: LoadedEnv, log: (line: string) => void = () => {}, o: { readyTimeoutMs?: number } = {}): Promise<{ created: boolean; provider: ClusterProvider; handle: ClusterHandle; registryFallback?: string }> {
  const p = await providerFor(env);
  const { created, handle } = await ensureCluster(p, log);
  const { listenAddress } = env.config.cluster;
  if (p.traits.managed && !isLoopback(listenAddress)) log(`warning: the ingress ports listen on ${listenAddress}: other machines on the network reach the stack (cluster.listenAddress)`);
  const out: ClusterHandle = { ...handle };
  let registryFallback: string | undefined;
  const own = managedRegistry(env.config.cluster);
  if (own) {
    out.imageRegistry = own.pull;
    try {
      // A cluster created while the registry was off cannot pull from it: say how to get it, import meanwhile.
      const node = handle.nodes[0];
      if (!created && node && p.traits.registryMirror && !(await mirrorWired(env.config.cluster.registry, p.traits.registryMirror, node))) {
        throw new DevenvError(`${p.provider} cluster ${p.name} was created without the registry mirror (node ${node} does not map localhost:${env.config.cluster.registry.port} to ${env.config.cluster.registry.name})`, {
          hint: "re-create the cluster once to use the registry: `devenv reset --cluster --yes` then `devenv up` (the registry's cache is kept)",
        });
      }
      out.registry = await wireRegistry(env, p, handle.nodes, o);
    } catch (e) {
      registryFallback = e instanceof Error ? e.message : String(e);
      for (const line of registryFallbackLines(env.config.cluster.registry, e)) log(line);
    }
  } else if (!p.traits.managed) {
    const advertised = await imageRegistryFor(env, async () => KubeRest.forContext(p.context));
    if (advertised) {
      out.registry = advertised.push;
      out.imageRegistry = advertised.pull;
      log(`pushing devenv's images to ${advertised.push}${advertised.pull !== advertised.push ? ` (the cluster pulls them as ${advertised.pull})` : ""}: ${advertised.source === "configmap" ? `the cluster's ${HOSTING_CONFIGMAP.namespace}/${HOSTING_CONFIGMAP.name}` : "cluster.registry.host"}`);
    }
  }
  return { created, provider: p, handle: out, registryFallback };
}

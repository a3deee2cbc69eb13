// Installing NFS, metrics-server and ingress: apply the pinned objects, wait for them, then
// prove each one works with a probe. addonPlan() says it for --dry-run.
import type { LoadedEnv } from "../config/load.js";
import { DevenvError } from "../errors/devenv-error.js";
import { applyObjects, waitReady } from "../kube/apply.js";
import { KubeRest } from "../kube/rest.js";
import { traitsOf } from "../cluster/traits.js";
import { addonObjects, addonOptions, addonReleases, type AddonOptions } from "./addon-set.js";
import { compatibility } from "./lock.js";
import { cleanupRwx, nfsMountAdvice, pollVerdict, rwxProbeObjects, sampleIngress, sampleMetrics, sampleRwx } from "./probes.js";

const READY_TIMEOUT_MS = 5 * 60_000;
/** Ownership label value of addon objects: they belong to the cluster, shared by every environment
 * on it, so no environment's prune or `devenv down` touches them. */
export const ADDONS_OWNER = "devenv-addons";
const PROBE_TIMEOUT_MS = 3 * 60_000;

/** What install-addons would apply, for --dry-run. */
export function addonPlan(o: AddonOptions): string[] {
  const objects = addonObjects(o);
  if (objects.length === 0) return ["no addons enabled"];
  const lines = [`apply ${objects.length} objects (field manager devenv), wait until ready, then probe:`];
  const releases = new Map(addonReleases(o).map((r) => [r.name, r.release]));
  const images = (name: Parameters<typeof releases.get>[0]) => ` [${releases.get(name)!.images.join(", ")}]`;
  if (o.addons.nfs.enabled && o.traits.rwx.via === "nfs") lines.push(`  nfs-ganesha ${releases.get("nfs-ganesha")!.version}${images("nfs-ganesha")} → StorageClass "${o.addons.nfs.storageClass}" (ReadWriteMany, ${o.addons.nfs.size} on node storage); probe: two pods share an RWX volume`);
  if (o.addons.nfs.enabled && o.traits.rwx.via === "shared-path") lines.push(`  local-path-shared ${releases.get("local-path-shared")!.version}${images("local-path-shared")} → StorageClass "${o.addons.nfs.storageClass}" (ReadWriteMany on ${o.traits.rwx.nodePath}, one host directory every node mounts; no NFS mount); probe: two pods share an RWX volume`);
  if (o.addons.nfs.enabled && o.traits.rwx.via === "nfs" && !o.traits.kubeletNfsMount) lines.push(`  warning: ${nfsMountAdvice(o.traits).cause}; the RWX probe will fail: ${nfsMountAdvice(o.traits).hint}`);
  if (o.addons.metricsServer.enabled) {
    lines.push(o.traits.bundledMetricsServer ? `  metrics-server: bundled with ${o.traits.bundledMetricsServer}, not installed; probe: a node metrics read` : `  metrics-server ${releases.get("metrics-server")!.version}${images("metrics-server")}${o.traits.kubeletInsecureTls ? " with --kubelet-insecure-tls" : ""}${o.kubernetesVersion ? ` (for Kubernetes ${o.kubernetesVersion})` : " (Kubernetes version not known before the cluster answers; from 1.34 it is v0.9.0)"}; probe: a node metrics read`);
  }
  const ingress = o.addons.ingress.controller;
  if (o.addons.ingress.enabled) lines.push(`  ${ingress} ${releases.get(ingress)!.version}${images(ingress)} (retired upstream) → IngressClass "${o.addons.ingress.className}"${o.traits.managed ? "; probe: an answer on localhost" : ""}`);
  if (o.registry) lines.push(`  ConfigMap kube-public/local-registry-hosting → localhost:${o.registry.port}`);
  lines.push(...objects.map((obj) => `    ${obj.kind}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata.name}`));
  return lines;
}

const VERSION_TIMEOUT_MS = 10_000;

/** The cluster's Kubernetes version: the server's, else the one devenv.ts implies (node image / k3s tag). */
export async function clusterKubernetesVersion(env: Pick<LoadedEnv, "config">, context: string | undefined): Promise<string | undefined> {
  const asked = (async () => (await (await KubeRest.forContext(context)).version()).gitVersion)();
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), VERSION_TIMEOUT_MS).unref());
  const server = await Promise.race([asked, timeout]).catch(() => undefined);
  return server ?? traitsOf(env.config.cluster).kubernetesVersion(env.config.cluster);
}

/** Compatibility of each addon release with the cluster's version: warnings reported, a known break thrown. */
export function checkAddonVersions(o: AddonOptions, report: (line: string) => void): void {
  if (!o.kubernetesVersion) return;
  for (const { name, release } of addonReleases(o)) {
    const c = compatibility(name, release, o.kubernetesVersion);
    if (c.level === "error") throw new DevenvError(c.message, { hint: `use a Kubernetes version ${name} supports (cluster.nodeImage / cluster.k3sVersion in devenv.ts), or disable the addon in devenv.ts addons` });
    if (c.level === "warning") report(`warning: ${c.message}`);
  }
}

/** Runs the probes of the enabled addons, reporting each result line. */
export async function probeAddons(rest: KubeRest, env: Pick<LoadedEnv, "config">, o: AddonOptions, report: (line: string) => void): Promise<void> {
  const fieldManager = "devenv";
  if (o.addons.nfs.enabled) {
    const probe = rwxProbeObjects(o.addons.nfs.storageClass, o.overrides);
    await cleanupRwx(rest); // a previous interrupted run may have left finished pods behind
    await applyObjects(rest, probe, { fieldManager, envName: ADDONS_OWNER });
    try {
      report(`nfs: ${await pollVerdict("NFS ReadWriteMany", () => sampleRwx(rest, o.traits.rwx.via === "nfs" && !o.traits.kubeletNfsMount), PROBE_TIMEOUT_MS, 2000, nfsMountAdvice(o.traits))}`);
    } finally {
      await cleanupRwx(rest);
    }
  }
  if (o.addons.metricsServer.enabled) report(`metrics: ${await pollVerdict("metrics-server", () => sampleMetrics(rest), PROBE_TIMEOUT_MS, 5000)}`);
  if (o.addons.ingress.enabled && o.traits.managed) {
    const port = env.config.cluster.ports.http;
    report(`ingress: ${await pollVerdict(`ingress on localhost:${port}`, () => sampleIngress(port), PROBE_TIMEOUT_MS)}`);
  }
}

/** Applies the enabled addons, waits until they are ready and probes each one. */
export async function installAddons(env: Pick<LoadedEnv, "config">, context: string | undefined, report: (line: string) => void, kubernetesVersion?: string): Promise<void> {
  const rest = await KubeRest.forContext(context);
  // The same version load-images picked the addon images by, so what was preloaded is what runs.
  const o = addonOptions(env, kubernetesVersion ?? (await clusterKubernetesVersion(env, context)));
  const objects = addonObjects(o);
  if (objects.length === 0) return;
  checkAddonVersions(o, report);
  report(`applying ${objects.length} addon objects`);
  await applyObjects(rest, objects, { fieldManager: "devenv", envName: ADDONS_OWNER });
  report("waiting for the addons to be ready");
  await waitReady(rest, objects, READY_TIMEOUT_MS);
  await probeAddons(rest, env, o, report);
}

// Installing NFS, metrics-server and ingress: apply the pinned objects, wait for them, then
// prove each one works with a probe. addonPlan() says it for --dry-run.
import type { LoadedEnv } from "../config/load.js";
import { applyObjects, waitReady } from "../kube/apply.js";
import { KubeRest } from "../kube/rest.js";
import { addonObjects, addonOptions, metricsServerVersion, type AddonOptions } from "./addon-set.js";
import { cleanupRwx, pollVerdict, rwxProbeObjects, sampleIngress, sampleMetrics, sampleRwx } from "./probes.js";

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
  if (o.addons.nfs.enabled) lines.push(`  nfs-ganesha v4.0.8 → StorageClass "${o.addons.nfs.storageClass}" (ReadWriteMany, ${o.addons.nfs.size} on node storage); probe: two pods share an RWX volume`);
  if (o.addons.metricsServer.enabled) {
    lines.push(o.traits.bundledMetricsServer ? `  metrics-server: bundled with ${o.traits.bundledMetricsServer}, not installed; probe: a node metrics read` : `  metrics-server ${metricsServerVersion(o.kubernetesVersion)}${o.traits.kubeletInsecureTls ? " with --kubelet-insecure-tls" : ""}; probe: a node metrics read`);
  }
  if (o.addons.ingress.enabled) lines.push(`  ingress-nginx v1.15.1 (retired upstream) → IngressClass "${o.addons.ingress.className}"${o.traits.managed ? "; probe: an answer on localhost" : ""}`);
  if (o.registry) lines.push(`  ConfigMap kube-public/local-registry-hosting → localhost:${o.registry.port}`);
  lines.push(...objects.map((obj) => `    ${obj.kind}/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata.name}`));
  return lines;
}

async function serverVersion(rest: KubeRest): Promise<string | undefined> {
  return (await rest.version()).gitVersion;
}

/** Runs the probes of the enabled addons, reporting each result line. */
export async function probeAddons(rest: KubeRest, env: Pick<LoadedEnv, "config">, o: AddonOptions, report: (line: string) => void): Promise<void> {
  const fieldManager = "devenv";
  if (o.addons.nfs.enabled) {
    const probe = rwxProbeObjects(o.addons.nfs.storageClass, o.overrides);
    await cleanupRwx(rest); // a previous interrupted run may have left finished pods behind
    await applyObjects(rest, probe, { fieldManager, envName: ADDONS_OWNER });
    try {
      report(`nfs: ${await pollVerdict("NFS ReadWriteMany", () => sampleRwx(rest), PROBE_TIMEOUT_MS)}`);
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
export async function installAddons(env: Pick<LoadedEnv, "config">, context: string | undefined, report: (line: string) => void): Promise<void> {
  const rest = await KubeRest.forContext(context);
  const o = addonOptions(env, await serverVersion(rest).catch(() => undefined));
  const objects = addonObjects(o);
  if (objects.length === 0) return;
  report(`applying ${objects.length} addon objects`);
  await applyObjects(rest, objects, { fieldManager: "devenv", envName: ADDONS_OWNER });
  report("waiting for the addons to be ready");
  await waitReady(rest, objects, READY_TIMEOUT_MS);
  await probeAddons(rest, env, o, report);
}

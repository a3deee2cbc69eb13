// Which addon objects a cluster gets, per provider traits and devenv.ts options. Pure (given
// the pinned manifests): golden-tested per option, and what `up --dry-run` lists.
import { applyOverride } from "../config/overrides.js";
import type { LoadedEnv } from "../config/load.js";
import type { AddonsConfig, ClusterConfig } from "../config/schema.js";
import type { KubeObject } from "../model/index.js";
import { traitsOf, type ProviderTraits } from "../cluster/traits.js";
import { localRegistryHostingConfigMap } from "../cluster/registry.js";
import { containersOf, podSpecOf } from "../kube/pod-spec.js";
import { readAddonManifest } from "./manifests.js";
import { addonRelease, type AddonName, type AddonRelease } from "./lock.js";

export interface AddonOptions {
  /** What the cluster is like (bundled metrics-server, kubelet TLS, ingress path, local storage). */
  traits: ProviderTraits;
  addons: AddonsConfig;
  /** The local registry, when enabled: its KEP-1755 ConfigMap is applied with the addons. */
  registry?: ClusterConfig["registry"];
  /** Server version (e.g. `v1.33.1`), when known: picks the metrics-server release. */
  kubernetesVersion?: string;
  /** imageOverrides, applied to every addon image. */
  overrides: Record<string, string>;
}

/** The addons this environment installs, each with the release the lock picks for the cluster's version. */
export function addonReleases(o: AddonOptions): { name: AddonName; release: AddonRelease }[] {
  const out: { name: AddonName; release: AddonRelease }[] = [];
  const add = (name: AddonName) => out.push({ name, release: addonRelease(name, o.kubernetesVersion) });
  if (o.addons.nfs.enabled) add(rwxAddon(o.traits));
  if (o.addons.metricsServer.enabled && !o.traits.bundledMetricsServer) add("metrics-server");
  if (o.addons.ingress.enabled) add(o.addons.ingress.controller);
  return out;
}

/** The addon that gives addons.nfs its ReadWriteMany class on this kind of cluster (traits.rwx). */
export function rwxAddon(traits: Pick<ProviderTraits, "rwx">): "nfs-ganesha" | "local-path-shared" {
  return traits.rwx.via === "nfs" ? "nfs-ganesha" : "local-path-shared";
}

/** A release's objects, its main container (the first container of its workload) running images[0]. */
function releaseObjects(name: AddonName, kubernetesVersion: string | undefined): KubeObject[] {
  const release = addonRelease(name, kubernetesVersion);
  if (!release.file) throw new Error(`addons.lock.yaml: ${name} ${release.version} names no manifest file`);
  const objects = readAddonManifest(release.file);
  const workload = objects.find((obj) => obj.kind === "Deployment" || obj.kind === "StatefulSet" || obj.kind === "DaemonSet");
  const main = workload && podSpecOf(workload)?.containers[0];
  if (main) main.image = release.images[0];
  return objects;
}

/** The options for an environment. */
export function addonOptions(env: Pick<LoadedEnv, "config">, kubernetesVersion?: string): AddonOptions {
  const { cluster, addons, imageOverrides } = env.config;
  const traits = traitsOf(cluster);
  return {
    traits,
    addons,
    registry: cluster.registry.enabled && traits.managed ? cluster.registry : undefined,
    kubernetesVersion: kubernetesVersion ?? kubernetesVersionOf(cluster),
    overrides: imageOverrides,
  };
}

/** Kubernetes version implied by the configured node image / k3s tag, if any. Pure. */
export function kubernetesVersionOf(cluster: ClusterConfig): string | undefined {
  return traitsOf(cluster).kubernetesVersion(cluster);
}

/** The metrics-server release addons.lock.yaml picks for this Kubernetes version (v0.9.0 from 1.34). */
export function metricsServerVersion(kubernetesVersion?: string): string {
  return addonRelease("metrics-server", kubernetesVersion).version;
}

/** Every addon object for these options, in apply order. */
export function addonObjects(o: AddonOptions): KubeObject[] {
  const out: KubeObject[] = [];
  if (o.addons.nfs.enabled) out.push(...(o.traits.rwx.via === "nfs" ? nfsObjects(o) : sharedPathObjects(o, o.traits.rwx.nodePath)));
  if (o.addons.metricsServer.enabled && !o.traits.bundledMetricsServer) out.push(...metricsServerObjects(o));
  if (o.addons.ingress.enabled) out.push(...ingressObjects(o));
  if (o.registry) out.push(localRegistryHostingConfigMap(o.registry));
  for (const obj of out) for (const c of containersOf(obj, { init: true })) if (c.image) c.image = applyOverride(c.image, o.overrides);
  return out;
}

function ingressObjects(o: AddonOptions): KubeObject[] {
  const objects = releaseObjects(o.addons.ingress.controller, o.kubernetesVersion);
  const className = o.addons.ingress.className;
  for (const obj of objects) {
    if (obj.kind === "IngressClass") obj.metadata.name = className;
    if (obj.kind !== "Deployment") continue;
    const spec = podSpecOf(obj)!;
    const c = spec.containers[0]!;
    c.args = (c.args ?? []).map((a) => (a.startsWith("--ingress-class=") ? `--ingress-class=${className}` : a));
    if (o.traits.ingress.via === "host-ports") {
      spec.nodeSelector = { ...spec.nodeSelector, [o.traits.ingress.nodeLabel]: "true" };
    } else {
      // Traffic arrives through the LoadBalancer Service, so no hostPorts and no pinning to the control plane.
      for (const p of c.ports ?? []) delete p.hostPort;
      delete spec.tolerations;
      c.args = c.args.filter((a) => a !== "--publish-status-address=localhost");
    }
  }
  return objects;
}

function metricsServerObjects(o: AddonOptions): KubeObject[] {
  const objects = releaseObjects("metrics-server", o.kubernetesVersion);
  for (const obj of objects) {
    if (obj.kind !== "Deployment") continue;
    const c = podSpecOf(obj)!.containers[0]!;
    if (o.traits.kubeletInsecureTls) c.args = [...(c.args ?? []), "--kubelet-insecure-tls"];
  }
  return objects;
}

function nfsObjects(o: AddonOptions): KubeObject[] {
  const objects = releaseObjects("nfs-ganesha", o.kubernetesVersion);
  for (const obj of objects) {
    if (obj.kind === "StorageClass") obj.metadata.name = o.addons.nfs.storageClass;
    if (obj.kind !== "StatefulSet") continue;
    const claim = (obj.spec as { volumeClaimTemplates: { spec: Record<string, unknown> & { resources: { requests: Record<string, string> } } }[] }).volumeClaimTemplates[0]!;
    claim.spec.resources.requests.storage = o.addons.nfs.size;
    const backing = o.traits.localStorageClass;
    if (backing) claim.spec.storageClassName = backing;
  }
  return objects;
}

/** RWX without an NFS mount: local-path-provisioner on the directory every node shares (k3d). */
function sharedPathObjects(o: AddonOptions, nodePath: string): KubeObject[] {
  const release = addonRelease("local-path-shared", o.kubernetesVersion);
  const objects = releaseObjects("local-path-shared", o.kubernetesVersion);
  for (const obj of objects) {
    if (obj.kind === "StorageClass") obj.metadata.name = o.addons.nfs.storageClass;
    if (obj.kind !== "ConfigMap") continue;
    const data = (obj as KubeObject & { data: Record<string, string> }).data;
    data["config.json"] = JSON.stringify({ nodePathMap: [], sharedFileSystemPath: nodePath });
    // The helper pod is a template in the ConfigMap, not a container devenv's override pass sees.
    const helper = applyOverride(release.images[1]!, o.overrides);
    data["helperPod.yaml"] = data["helperPod.yaml"]!.replace(/^(\s*image:\s*).*$/m, `$1${helper}`);
  }
  return objects;
}

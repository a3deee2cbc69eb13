// Which addon objects a cluster gets, per provider and devenv.ts options. Pure (given the
// pinned manifests): golden-tested per option, and what `up --dry-run` lists.
import { applyOverride } from "../config/overrides.js";
import { compareVersions } from "../doctor/check.js";
import type { LoadedEnv } from "../config/load.js";
import type { AddonsConfig, ClusterConfig } from "../config/schema.js";
import type { KubeObject } from "../steps/context.js";
import { INGRESS_NODE_LABEL } from "../cluster/kind-config.js";
import { localRegistryHostingConfigMap } from "../cluster/registry.js";
import { readAddonManifest } from "./manifests.js";

export interface AddonOptions {
  provider: ClusterConfig["provider"];
  addons: AddonsConfig;
  /** The local registry, when enabled: its KEP-1755 ConfigMap is applied with the addons. */
  registry?: ClusterConfig["registry"];
  /** Server version (e.g. `v1.33.1`), when known: picks the metrics-server release. */
  kubernetesVersion?: string;
  /** imageOverrides, applied to every addon image. */
  overrides: Record<string, string>;
}

export const ADDON_FILES = {
  ingress: "ingress-nginx/v1.15.1/deploy.yaml",
  metricsServer: "metrics-server/v0.8.1/components.yaml",
  nfs: "nfs-ganesha/v4.0.8/nfs-provisioner.yaml",
} as const;

/** Node-local storage class that backs the NFS server's export, per provider (undefined: the default class). */
const LOCAL_STORAGE_CLASS: Record<ClusterConfig["provider"], string | undefined> = { kind: "standard", k3d: "local-path", existing: undefined };

/** The options for an environment. */
export function addonOptions(env: Pick<LoadedEnv, "config">, kubernetesVersion?: string): AddonOptions {
  const { cluster, addons, imageOverrides } = env.config;
  return {
    provider: cluster.provider,
    addons,
    registry: cluster.registry.enabled && cluster.provider !== "existing" ? cluster.registry : undefined,
    kubernetesVersion: kubernetesVersion ?? kubernetesVersionOf(cluster),
    overrides: imageOverrides,
  };
}

/** Kubernetes version implied by the configured node image / k3s tag, if any. Pure. */
export function kubernetesVersionOf(cluster: ClusterConfig): string | undefined {
  const tag = cluster.provider === "kind" ? cluster.nodeImage?.split(":")[1] : cluster.provider === "k3d" ? cluster.k3sVersion : undefined;
  return tag ? /^v?\d+\.\d+(\.\d+)?/.exec(tag)?.[0] : undefined;
}

/** metrics-server v0.9.0 for Kubernetes >= 1.34, v0.8.1 otherwise (and when unknown). */
export function metricsServerVersion(kubernetesVersion?: string): "v0.8.1" | "v0.9.0" {
  return kubernetesVersion && compareVersions(kubernetesVersion, "1.34.0") >= 0 ? "v0.9.0" : "v0.8.1";
}

/** Every addon object for these options, in apply order. */
export function addonObjects(o: AddonOptions): KubeObject[] {
  const out: KubeObject[] = [];
  if (o.addons.nfs.enabled) out.push(...nfsObjects(o));
  // k3s bundles metrics-server; installing a second one would fight over the APIService.
  if (o.addons.metricsServer.enabled && o.provider !== "k3d") out.push(...metricsServerObjects(o));
  if (o.addons.ingress.enabled) out.push(...ingressObjects(o));
  if (o.registry) out.push(localRegistryHostingConfigMap(o.registry));
  for (const obj of out) for (const c of containersOf(obj)) c.image = applyOverride(c.image, o.overrides);
  return out;
}

function ingressObjects(o: AddonOptions): KubeObject[] {
  const objects = readAddonManifest(ADDON_FILES.ingress);
  const className = o.addons.ingress.className;
  for (const obj of objects) {
    if (obj.kind === "IngressClass") obj.metadata.name = className;
    if (obj.kind !== "Deployment") continue;
    const spec = podSpec(obj)!;
    const c = spec.containers[0]!;
    c.args = (c.args ?? []).map((a) => (a.startsWith("--ingress-class=") ? `--ingress-class=${className}` : a));
    if (o.provider === "kind") {
      // v1.13 dropped the ingress-ready nodeSelector; with workers the controller must still
      // land on the node whose ports 80/443 kind maps to the host.
      spec.nodeSelector = { ...spec.nodeSelector, [INGRESS_NODE_LABEL]: "true" };
    } else {
      // k3d / existing: traffic arrives through the LoadBalancer Service (k3s ServiceLB behind
      // k3d's load balancer), so no hostPorts and no pinning to the control plane.
      for (const p of c.ports ?? []) delete p.hostPort;
      delete spec.tolerations;
      c.args = c.args.filter((a) => a !== "--publish-status-address=localhost");
    }
  }
  return objects;
}

function metricsServerObjects(o: AddonOptions): KubeObject[] {
  const objects = readAddonManifest(ADDON_FILES.metricsServer);
  const version = metricsServerVersion(o.kubernetesVersion);
  for (const obj of objects) {
    if (obj.kind !== "Deployment") continue;
    const c = podSpec(obj)!.containers[0]!;
    c.image = c.image.replace(/:v[\d.]+$/, `:${version}`);
    // kind's kubelet serving certificates carry no IP SANs (metrics-server#196).
    if (o.provider === "kind") c.args = [...(c.args ?? []), "--kubelet-insecure-tls"];
  }
  return objects;
}

function nfsObjects(o: AddonOptions): KubeObject[] {
  const objects = readAddonManifest(ADDON_FILES.nfs);
  for (const obj of objects) {
    if (obj.kind === "StorageClass") obj.metadata.name = o.addons.nfs.storageClass;
    if (obj.kind !== "StatefulSet") continue;
    const claim = (obj.spec as { volumeClaimTemplates: { spec: Record<string, unknown> & { resources: { requests: Record<string, string> } } }[] }).volumeClaimTemplates[0]!;
    claim.spec.resources.requests.storage = o.addons.nfs.size;
    const backing = LOCAL_STORAGE_CLASS[o.provider];
    if (backing) claim.spec.storageClassName = backing;
  }
  return objects;
}

interface Container {
  name: string;
  image: string;
  args?: string[];
  ports?: { containerPort: number; hostPort?: number }[];
}
interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
}

/** The pod spec of a workload or pod, if it has one. */
export function podSpec(obj: KubeObject): PodSpec | undefined {
  const spec = obj.spec as { template?: { spec?: PodSpec }; containers?: Container[] } | undefined;
  if (obj.kind === "Pod") return spec as PodSpec | undefined;
  return spec?.template?.spec;
}

/** All containers (init included) of an object. */
export function containersOf(obj: KubeObject): Container[] {
  const spec = podSpec(obj);
  return spec ? [...(spec.initContainers ?? []), ...spec.containers] : [];
}

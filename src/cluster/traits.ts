// What each kind of cluster is like, as data: the one place that knows kind from k3d from an
// existing context (ctlptl's one admin per product). Every other seam asks these traits
// instead of comparing provider names. Pure.
import type { ClusterConfig } from "../config/schema.js";
import type { ProviderName } from "../model/index.js";
import { INGRESS_NODE_LABEL } from "./kind-config.js";

export interface ProviderTraits {
  provider: ProviderName;
  /** devenv creates, stops and deletes it; its nodes are containers on this Docker engine. */
  managed: boolean;
  /** The CLI that manages it, with the oldest version devenv is written against. */
  cli?: { tool: string; versionArgs: string[]; min: string; installHint: string };
  /** Kube context name of a cluster called `name` (an existing cluster: cluster.context). */
  context(cluster: ClusterConfig): string | undefined;
  /** Docker network of the nodes, which the local registry joins. */
  network?(name: string): string;
  /** How node containerd learns the local registry: hosts.toml written into each node (kind), or registries.yaml at creation (k3s). */
  registryMirror?: "hosts-toml" | "registries-yaml";
  /** The container that publishes the ingress ports on the host. */
  portPublisher?(name: string): string;
  /** Kubernetes version implied by devenv.ts (node image or k3s tag), if any. */
  kubernetesVersion(cluster: ClusterConfig): string | undefined;
  /** The distribution that ships its own metrics-server (k3s): installing a second one would fight over the APIService. */
  bundledMetricsServer?: string;
  /** The kubelets' serving certificates carry no IP SANs (kind; metrics-server#196). */
  kubeletInsecureTls: boolean;
  /** Can the kubelet mount NFS volumes (the node has mount.nfs)? k3s images do not (k3d#1109, k3d#1383). */
  kubeletNfsMount: boolean;
  /** How addons.nfs gives ReadWriteMany: the in-cluster NFS server (the kubelet mounts NFS), or,
   *  where the nodes cannot mount NFS, a local-path provisioner on `nodePath`, a directory every
   *  node mounts from the same host directory (`hostDir`, relative to devenv.ts) at creation. */
  rwx: { via: "nfs" } | { via: "shared-path"; nodePath: string; hostDir(name: string): string };
  /** Node-local StorageClass that backs the NFS server's export (undefined: the default class). */
  localStorageClass?: string;
  /** How ingress traffic reaches the controller: host ports on the labelled node, or a LoadBalancer Service. */
  ingress: { via: "host-ports"; nodeLabel: string } | { via: "load-balancer" };
  /** `kind load` breaks on Docker's containerd image store (kind#3795). */
  loadBreaksOnContainerdStore: boolean;
  /** Node images pinned by digest, per CLI release (kind: each release's default node image). */
  nodeImages?: readonly { cli: string; image: string }[];
  /** Where the CLI's kube context is written back when the cluster exists but the context is gone. */
  contextRestore?: { args(name: string): string[] };
}

/** The default node image of each kind release (kubernetes-sigs/kind pkg/apis/config/defaults/image.go
 *  at the release tag; see docs/clusters.md for the commits). Node images are built for a kind release:
 *  use the one of your kind version. */
export const KIND_NODE_IMAGES = [
  { cli: "0.27.0", image: "kindest/node:v1.32.2@sha256:f226345927d7e348497136874b6d207e0b32cc52154ad8323129352923a3142f" },
  { cli: "0.28.0", image: "kindest/node:v1.33.1@sha256:8d866994839cd096b3590681c55a6fa4a071fdaf33be7b9660e5697d2ed13002" },
  { cli: "0.29.0", image: "kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f" },
  { cli: "0.30.0", image: "kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a" },
  { cli: "0.31.0", image: "kindest/node:v1.35.0@sha256:452d707d4862f52530247495d180205e029056831160e22870e37e3f6c1ac31f" },
  { cli: "0.32.0", image: "kindest/node:v1.36.1@sha256:3489c7674813ba5d8b1a9977baea8a6e553784dab7b84759d1014dbd78f7ebd5" },
] as const;

const versionFromTag = (tag: string | undefined) => (tag ? /^v?\d+\.\d+(\.\d+)?/.exec(tag)?.[0] : undefined);

const kind: ProviderTraits = {
  provider: "kind",
  managed: true,
  cli: { tool: "kind", versionArgs: ["version"], min: "0.20.0", installHint: "https://kind.sigs.k8s.io/docs/user/quick-start/#installation (or `go install sigs.k8s.io/kind@latest`)" },
  context: (c) => `kind-${c.name}`,
  network: () => "kind",
  registryMirror: "hosts-toml",
  portPublisher: (name) => `${name}-control-plane`,
  kubernetesVersion: (c) => versionFromTag(c.nodeImage?.split("@")[0]?.split(":")[1]),
  kubeletInsecureTls: true,
  kubeletNfsMount: true, // kind's node image ships nfs-common
  rwx: { via: "nfs" },
  localStorageClass: "standard",
  // ingress-nginx v1.13 dropped the ingress-ready nodeSelector; with workers the controller
  // must still land on the node whose ports 80/443 kind maps to the host.
  ingress: { via: "host-ports", nodeLabel: INGRESS_NODE_LABEL },
  loadBreaksOnContainerdStore: true,
  nodeImages: KIND_NODE_IMAGES,
  // `kind export kubeconfig` writes the cluster's context (kind-<name>) into the kubeconfig.
  contextRestore: { args: (name) => ["export", "kubeconfig", "--name", name] },
};

const k3d: ProviderTraits = {
  provider: "k3d",
  managed: true,
  cli: { tool: "k3d", versionArgs: ["version"], min: "5.6.0", installHint: "https://k3d.io/#installation" },
  context: (c) => `k3d-${c.name}`,
  network: (name) => `k3d-${name}`,
  registryMirror: "registries-yaml",
  portPublisher: (name) => `k3d-${name}-serverlb`,
  kubernetesVersion: (c) => versionFromTag(c.k3sVersion),
  bundledMetricsServer: "k3s",
  kubeletInsecureTls: false,
  // rancher/k3s images are FROM scratch plus k3s' own userspace (k3s-io/k3s package/Dockerfile):
  // no nfs-utils, and the kubelet's NFS mounts fail there (k3d#1109, k3d#1383).
  kubeletNfsMount: false,
  // So RWX goes through a shared host directory instead (docs/clusters.md: k3d volumes on
  // server:* and agent:*, local-path-provisioner's sharedFileSystemPath). In .devenv/, which
  // `devenv reset --all` removes.
  rwx: { via: "shared-path", nodePath: "/var/lib/devenv/rwx", hostDir: (name) => `.devenv/k3d-${name}-rwx` },
  localStorageClass: "local-path",
  // k3s' ServiceLB behind k3d's load balancer: no host ports, no pinning to the control plane.
  ingress: { via: "load-balancer" },
  loadBreaksOnContainerdStore: false,
  // Merges k3d-<name> into the default kubeconfig ($KUBECONFIG or ~/.kube/config), without switching to it.
  contextRestore: { args: (name) => ["kubeconfig", "merge", name, "--kubeconfig-merge-default", "--kubeconfig-switch-context=false"] },
};

const existing: ProviderTraits = {
  provider: "existing",
  managed: false,
  context: (c) => c.context,
  kubernetesVersion: () => undefined,
  kubeletInsecureTls: false,
  kubeletNfsMount: true, // not ours to know: the probe tells
  rwx: { via: "nfs" },
  ingress: { via: "load-balancer" },
  loadBreaksOnContainerdStore: false,
};

const TRAITS: Record<ProviderName, ProviderTraits> = { kind, k3d, existing };

/** The traits of the provider devenv.ts names. */
export function traitsOf(cluster: Pick<ClusterConfig, "provider">): ProviderTraits {
  return TRAITS[cluster.provider];
}

/** The kube context devenv.ts implies: cluster.context when set, else the provider's name for the cluster. */
export function contextOf(cluster: ClusterConfig): string | undefined {
  return cluster.context ?? traitsOf(cluster).context(cluster);
}

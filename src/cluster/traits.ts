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
  /** Node-local StorageClass that backs the NFS server's export (undefined: the default class). */
  localStorageClass?: string;
  /** How ingress traffic reaches the controller: host ports on the labelled node, or a LoadBalancer Service. */
  ingress: { via: "host-ports"; nodeLabel: string } | { via: "load-balancer" };
  /** `kind load` breaks on Docker's containerd image store (kind#3795). */
  loadBreaksOnContainerdStore: boolean;
}

const versionFromTag = (tag: string | undefined) => (tag ? /^v?\d+\.\d+(\.\d+)?/.exec(tag)?.[0] : undefined);

const kind: ProviderTraits = {
  provider: "kind",
  managed: true,
  cli: { tool: "kind", versionArgs: ["version"], min: "0.20.0", installHint: "https://kind.sigs.k8s.io/docs/user/quick-start/#installation (or `go install sigs.k8s.io/kind@latest`)" },
  context: (c) => `kind-${c.name}`,
  network: () => "kind",
  registryMirror: "hosts-toml",
  portPublisher: (name) => `${name}-control-plane`,
  kubernetesVersion: (c) => versionFromTag(c.nodeImage?.split(":")[1]),
  kubeletInsecureTls: true,
  localStorageClass: "standard",
  // ingress-nginx v1.13 dropped the ingress-ready nodeSelector; with workers the controller
  // must still land on the node whose ports 80/443 kind maps to the host.
  ingress: { via: "host-ports", nodeLabel: INGRESS_NODE_LABEL },
  loadBreaksOnContainerdStore: true,
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
  localStorageClass: "local-path",
  // k3s' ServiceLB behind k3d's load balancer: no host ports, no pinning to the control plane.
  ingress: { via: "load-balancer" },
  loadBreaksOnContainerdStore: false,
};

const existing: ProviderTraits = {
  provider: "existing",
  managed: false,
  context: (c) => c.context,
  kubernetesVersion: () => undefined,
  kubeletInsecureTls: false,
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

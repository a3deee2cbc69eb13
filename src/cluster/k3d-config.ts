// The k3d cluster config (k3d.io/v1alpha5, kind Simple) for an environment. Pure. Ports go
// through k3d's load balancer to k3s' ServiceLB, so the ingress Service is a LoadBalancer.
import { resolve } from "node:path";
import { stringify } from "yaml";
import type { ClusterConfig } from "../config/schema.js";
import { traitsOf } from "./traits.js";

/** Port the registry listens on inside its container (registry:2 default). */
export const REGISTRY_CONTAINER_PORT = 5000;

/** k3s' registries.yaml: `localhost:<port>` (what users push to) resolves to the registry container. */
export function k3sRegistriesYaml(cluster: ClusterConfig): string {
  const { name, port } = cluster.registry;
  const endpoint = `http://${name}:${REGISTRY_CONTAINER_PORT}`;
  return stringify({ mirrors: { [`localhost:${port}`]: { endpoint: [endpoint] }, [`${name}:${REGISTRY_CONTAINER_PORT}`]: { endpoint: [endpoint] } } });
}

/** The host directory every k3d node mounts for ReadWriteMany volumes (traits.rwx), absolute. */
export function sharedRwxHostDir(cluster: ClusterConfig, root: string): string | undefined {
  const rwx = traitsOf({ provider: "k3d" }).rwx;
  return rwx.via === "shared-path" ? resolve(root, rwx.hostDir(cluster.name)) : undefined;
}

/** The k3d config object; `root` resolves relative mount paths. */
export function k3dConfig(cluster: ClusterConfig, root: string): Record<string, unknown> {
  const volumes = cluster.mounts.map((m) => ({ volume: `${resolve(root, m.hostPath)}:${m.containerPath}`, nodeFilters: ["server:*", "agent:*"] }));
  // The same host directory on every node: the shared-path provisioner's RWX volumes (traits.rwx).
  // Always mounted, so enabling addons.nfs later needs no new cluster.
  const rwx = traitsOf({ provider: "k3d" }).rwx;
  const shared = sharedRwxHostDir(cluster, root);
  if (rwx.via === "shared-path" && shared) volumes.push({ volume: `${shared}:${rwx.nodePath}`, nodeFilters: ["server:*", "agent:*"] });
  return {
    apiVersion: "k3d.io/v1alpha5",
    kind: "Simple",
    metadata: { name: cluster.name },
    servers: 1,
    agents: cluster.workers,
    ...(cluster.k3sVersion ? { image: `rancher/k3s:${cluster.k3sVersion}` } : {}),
    ports: [
      // k3d's port format is [HOST:][HOSTPORT:]CONTAINERPORT; without a host it binds 0.0.0.0.
      { port: `${cluster.listenAddress}:${cluster.ports.http}:80`, nodeFilters: ["loadbalancer"] },
      { port: `${cluster.listenAddress}:${cluster.ports.https}:443`, nodeFilters: ["loadbalancer"] },
    ],
    ...(volumes.length > 0 ? { volumes } : {}),
    // The registry is devenv's own container (not `k3d registry create`), so it is wired
    // through k3s' registries.yaml; devenv connects it to the k3d-<name> network itself.
    ...(cluster.registry.enabled ? { registries: { config: k3sRegistriesYaml(cluster) } } : {}),
    options: {
      k3s: { extraArgs: [{ arg: "--disable=traefik", nodeFilters: ["server:*"] }] },
      kubeconfig: { updateDefaultKubeconfig: true, switchCurrentContext: false },
    },
  };
}

/** The k3d config as YAML, as written to `.devenv/k3d-<name>.yaml` and passed with --config. */
export function k3dConfigYaml(cluster: ClusterConfig, root: string): string {
  return stringify(k3dConfig(cluster, root), { lineWidth: 0, aliasDuplicateObjects: false });
}

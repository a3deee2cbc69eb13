// The kind cluster config (kind.x-k8s.io/v1alpha4) for an environment. Pure: the same
// devenv.ts always gives the same YAML, which `up` pipes to `kind create cluster --config -`.
import { resolve } from "node:path";
import { stringify } from "yaml";
import type { ClusterConfig } from "../config/schema.js";

/** Label the ingress controller is pinned to (ingress-nginx dropped its own nodeSelector in v1.13). */
export const INGRESS_NODE_LABEL = "ingress-ready";

// Before kind v0.27 node images do not read /etc/containerd/certs.d by default; this patch
// turns it on so the registry's hosts.toml is honoured (kind's local-registry recipe).
const CERTS_D_PATCH = `[plugins."io.containerd.grpc.v1.cri".registry]
  config_path = "/etc/containerd/certs.d"`;

type Role = "control-plane" | "worker";

/** kubeadm reads node labels from InitConfiguration on the first control plane, JoinConfiguration elsewhere (kind#3365). */
export function nodeLabelPatch(role: Role, labels: Record<string, string>): string {
  const kind = role === "control-plane" ? "InitConfiguration" : "JoinConfiguration";
  const value = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(",");
  return `kind: ${kind}\nnodeRegistration:\n  kubeletExtraArgs:\n    node-labels: "${value}"\n`;
}

/** The kind config object; `root` resolves relative mount paths. */
export function kindConfig(cluster: ClusterConfig, root: string): Record<string, unknown> {
  const extraMounts = cluster.mounts.map((m) => ({ hostPath: resolve(root, m.hostPath), containerPath: m.containerPath }));
  const common = (role: Role) => ({
    role,
    ...(cluster.nodeImage ? { image: cluster.nodeImage } : {}),
    ...(extraMounts.length > 0 ? { extraMounts } : {}),
  });
  const controlPlane = {
    ...common("control-plane"),
    kubeadmConfigPatches: [nodeLabelPatch("control-plane", { [INGRESS_NODE_LABEL]: "true" })],
    extraPortMappings: [
      { containerPort: 80, hostPort: cluster.ports.http, listenAddress: cluster.listenAddress, protocol: "TCP" },
      { containerPort: 443, hostPort: cluster.ports.https, listenAddress: cluster.listenAddress, protocol: "TCP" },
    ],
  };
  const workers = Array.from({ length: cluster.workers }, () => common("worker"));
  return {
    kind: "Cluster",
    apiVersion: "kind.x-k8s.io/v1alpha4",
    name: cluster.name,
    ...(cluster.registry.enabled ? { containerdConfigPatches: [CERTS_D_PATCH] } : {}),
    nodes: [controlPlane, ...workers],
  };
}

/** The kind config as YAML, as written to `.devenv/kind-<name>.yaml`. */
export function kindConfigYaml(cluster: ClusterConfig, root: string): string {
  return stringify(kindConfig(cluster, root), { lineWidth: 0, aliasDuplicateObjects: false });
}

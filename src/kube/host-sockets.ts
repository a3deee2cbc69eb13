// Workloads that mount the node's Docker socket (a hostPath volume on /var/run/docker.sock):
// kind and k3d nodes run containerd and have none unless devenv mounts the host's (pure).
import type { KubeObject } from "../model/index.js";
import { podSpecOf } from "./pod-spec.js";

export const DOCKER_SOCKET = "/var/run/docker.sock";
const SOCKETS = [DOCKER_SOCKET, "/run/docker.sock"];

/** `Kind/name` of every workload whose pod template has a hostPath volume on the Docker socket. */
export function dockerSocketUsers(objects: KubeObject[]): string[] {
  const out: string[] = [];
  for (const o of objects) {
    const volumes = (podSpecOf(o) as { volumes?: { hostPath?: { path?: string } }[] } | undefined)?.volumes ?? [];
    if (volumes.some((v) => v.hostPath?.path && SOCKETS.includes(v.hostPath.path.replace(/\/+$/, "")))) out.push(`${o.kind}/${o.metadata.name}`);
  }
  return out;
}

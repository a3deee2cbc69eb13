// Reaching a data server from the host. Compose: the container found by its compose labels,
// through its published port, else its bridge IP (reachable from a Linux host, not from Docker
// Desktop's VM). Cluster: a port-forward to the Service (src/kube/port-forward.ts).
import type { LoadedEnv } from "../config/load.js";
import { requireDocker } from "../docker/client.js";
import { DevenvError } from "../errors/devenv-error.js";
import { openPortForward } from "../kube/port-forward.js";
import type { KubeRest } from "../kube/rest.js";
import { composeProjectName } from "../compose/project-name.js";
import type { Target } from "../model/index.js";

export interface Endpoint {
  host: string;
  port: number;
  /** e.g. `compose service "postgres"`, for messages. */
  label: string;
  /** Why the port-forward's last connection failed, if it did (cluster only). */
  failure?(): Error | undefined;
  close(): Promise<void>;
}

export interface SeedTarget {
  compose?: string;
  service?: string;
  port?: number;
}

/** Host-reachable address of a server given the container's inspect data; pure. */
export function addressFromInspect(info: { NetworkSettings?: { Ports?: Record<string, { HostIp?: string; HostPort?: string }[] | null>; Networks?: Record<string, { IPAddress?: string }> } }, port: number): { host: string; port: number } | undefined {
  const bindings = info.NetworkSettings?.Ports?.[`${port}/tcp`] ?? [];
  const b = bindings.find((x) => x.HostPort) ;
  if (b) {
    const host = !b.HostIp || b.HostIp === "0.0.0.0" || b.HostIp === "::" ? "127.0.0.1" : b.HostIp;
    return { host, port: Number(b.HostPort) };
  }
  const ip = Object.values(info.NetworkSettings?.Networks ?? {}).find((n) => n.IPAddress)?.IPAddress;
  return ip ? { host: ip, port } : undefined;
}

/** Finds the running container of a compose service and how to reach `port` in it. */
export async function composeEndpoint(project: string, service: string, port: number): Promise<Endpoint> {
  const d = await requireDocker();
  const label = `compose service "${service}"`;
  const found = await d.containers.list({ filters: { label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${service}`], status: ["running"] } });
  if (found.length === 0) {
    throw new DevenvError(`${label} of compose project "${project}" is not running`, { where: label, hint: "start the compose setup first: `devenv up --target compose`" });
  }
  const info = await d.containers.inspect(found[0]!.Id);
  const addr = addressFromInspect(info, port);
  if (!addr) throw new DevenvError(`${label} publishes no port ${port} and has no network address`, { where: label, hint: `check the seed's target.port (the port inside the container), or publish it: ports: ["${port}"]` });
  return { ...addr, label, close: async () => undefined };
}

/** Port-forwards to a Kubernetes Service. */
export async function clusterEndpoint(rest: KubeRest, namespace: string, service: string, port: number): Promise<Endpoint> {
  const pf = await openPortForward(rest, namespace, service, port);
  return { host: "127.0.0.1", port: pf.localPort, label: `Service ${namespace}/${service}`, failure: () => pf.failure(), close: () => pf.close() };
}

/** Resolves a seed's target in the chosen setup. `path` is its config path, for errors. */
export async function reachTarget(env: LoadedEnv, target: Target, t: SeedTarget, defaultPort: number, path: string, kube: () => Promise<KubeRest>): Promise<Endpoint> {
  const port = t.port ?? defaultPort;
  if (target === "compose") {
    if (!t.compose) throw new DevenvError(`${path}.target.compose is not set, so it cannot be seeded in the compose setup`, { where: `${path}.target`, hint: "name the compose service, e.g. target: { compose: \"postgres\" }", exitCode: 2 });
    return composeEndpoint(composeProjectName(env), t.compose, port);
  }
  if (!t.service) throw new DevenvError(`${path}.target.service is not set, so it cannot be seeded in the cluster`, { where: `${path}.target`, hint: "name the Kubernetes Service, e.g. target: { service: \"postgres\" }", exitCode: 2 });
  return clusterEndpoint(await kube(), env.namespace, t.service, port);
}

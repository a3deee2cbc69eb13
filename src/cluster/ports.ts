// Host ports of the ingress: are they free before a cluster is created, and does a reused
// cluster publish the ports devenv.ts asks for? Reads the real engine (the Docker client).
import { docker } from "../docker/client.js";
import { configError, DevenvError } from "../errors/devenv-error.js";
import { portFree, portOwner } from "../docker/host-ports.js";
import type { ClusterConfig } from "../config/schema.js";

/** A published port of a container: host port → container port. */
export interface PortBinding {
  containerPort: number;
  hostPort: number;
}

type IngressPorts = ClusterConfig["ports"];

/** Which of http/https a reused cluster publishes differently from the config. Pure. */
export function portMismatches(want: IngressPorts, have: PortBinding[]): { key: "http" | "https"; want: number; have?: number }[] {
  const out: { key: "http" | "https"; want: number; have?: number }[] = [];
  for (const [key, containerPort] of [["http", 80], ["https", 443]] as const) {
    const hostPort = have.find((b) => b.containerPort === containerPort)?.hostPort;
    if (hostPort !== want[key]) out.push({ key, want: want[key], have: hostPort });
  }
  return out;
}

/** The TCP ports a container publishes on the host (from its HostConfig), or undefined if it does not exist. */
export async function publishedPorts(container: string): Promise<PortBinding[] | undefined> {
  const d = await docker();
  const info = await d.containers
    .inspect(container)
    .catch((e: { statusCode?: number }) => {
      if (e.statusCode === 404) return undefined;
      throw e;
    });
  if (!info) return undefined;
  const out: PortBinding[] = [];
  for (const [spec, binds] of Object.entries(info.HostConfig.PortBindings ?? {})) {
    const [port, proto] = spec.split("/");
    if (proto !== "tcp") continue;
    for (const b of binds ?? []) {
      if (b.HostPort) out.push({ containerPort: Number(port), hostPort: Number(b.HostPort) });
    }
  }
  return out;
}

/** Fails when a reused cluster's ingress container publishes other host ports than the config. */
export async function checkReusedPorts(what: string, container: string, want: IngressPorts, configFile: string): Promise<void> {
  const have = await publishedPorts(container);
  if (!have) {
    throw new DevenvError(`${what} exists but its ingress node container "${container}" was not found in Docker`, {
      hint: "it may have been removed by hand; recreate the cluster with `devenv reset --cluster --yes`",
    });
  }
  const bad = portMismatches(want, have);
  if (bad.length === 0) return;
  const described = bad.map((m) => `${m.key}: host port ${m.have ?? "none"} (devenv.ts wants ${m.want})`).join(", ");
  const current = bad.map((m) => `${m.key}: ${m.have ?? "(unset)"}`).join(", ");
  throw configError(
    `${what} exists with different ingress ports: ${described}`,
    `${configFile} (cluster.ports)`,
    `recreate it with \`devenv reset --cluster --yes\` then \`devenv up\`, or set cluster.ports back to { ${current} }`,
  );
}

/** Fails when a host port the new cluster needs is taken, naming the owner when possible. */
export async function requireHostPortFree(port: number, field: string, configFile: string): Promise<void> {
  if (await portFree(port)) return;
  const owner = await portOwner(port);
  throw configError(
    `host port ${port} (${field}) is already in use${owner ? ` by ${owner}` : ""}`,
    `${configFile} (${field})`,
    `stop ${owner ?? "whatever listens on it"}, or set ${field} in devenv.ts to a free port (e.g. ${port === 80 ? 8080 : port === 443 ? 8443 : port + 1})`,
  );
}

// The local registry (KEP-1755): a `devenv-registry` container on localhost:<port>, joined to
// the cluster's Docker network, made known to each node's containerd (hosts.toml) and to
// tools like Tilt and Skaffold (the kube-public/local-registry-hosting ConfigMap).
import { stringify } from "yaml";
import { docker } from "../docker/client.js";
import { applyOverride } from "../config/overrides.js";
import { DevenvError } from "../errors/devenv-error.js";
import { run } from "../exec/runner.js";
import type { ClusterConfig } from "../config/schema.js";
import type { KubeObject } from "../model/index.js";
import { REGISTRY_CONTAINER_PORT } from "./k3d-config.js";
import { requireHostPortFree } from "./ports.js";

/** The registry image on a laptop; `imageOverrides` may map it (CI maps it to a local build). */
export const REGISTRY_IMAGE = "registry:2";
/** Label on the registry container, so `reset --all` only removes what devenv made. */
export const REGISTRY_LABEL = "dev.devenv.registry";

type RegistryConfig = ClusterConfig["registry"];

/** hosts.toml files for each node: `localhost:<port>` and `<name>:5000` both go to the container. Pure. */
export function registryHostsFiles(reg: RegistryConfig): { path: string; content: string }[] {
  const content = `[host."http://${reg.name}:${REGISTRY_CONTAINER_PORT}"]\n`;
  return [`localhost:${reg.port}`, `${reg.name}:${REGISTRY_CONTAINER_PORT}`].map((host) => ({ path: `/etc/containerd/certs.d/${host}/hosts.toml`, content }));
}

/** The KEP-1755 ConfigMap that tells Tilt, Skaffold and others where to push. Pure. */
export function localRegistryHostingConfigMap(reg: RegistryConfig): KubeObject {
  const hosting = {
    host: `localhost:${reg.port}`,
    hostFromContainerRuntime: `localhost:${reg.port}`,
    hostFromClusterNetwork: `${reg.name}:${REGISTRY_CONTAINER_PORT}`,
    help: "https://kind.sigs.k8s.io/docs/user/local-registry/",
  };
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "local-registry-hosting", namespace: "kube-public" },
    data: { "localRegistryHosting.v1": stringify(hosting) },
  };
}

/** Starts the registry container, creating it if missing; checks a reused one's port. Idempotent. */
export async function ensureRegistry(reg: RegistryConfig, overrides: Record<string, string>, configFile: string): Promise<{ created: boolean }> {
  const d = await docker();
  const info = await d.containers.inspect(reg.name).catch(() => undefined);
  if (info) {
    const hostPort = info.HostConfig.PortBindings?.[`${REGISTRY_CONTAINER_PORT}/tcp`]?.[0]?.HostPort;
    if (hostPort !== String(reg.port)) {
      throw new DevenvError(`registry container "${reg.name}" publishes port ${hostPort ?? "none"}, devenv.ts wants ${reg.port}`, {
        where: `${configFile} (cluster.registry.port)`,
        hint: `remove it with \`devenv reset --all --yes\` (or \`docker rm -f ${reg.name}\`), or set cluster.registry.port to ${hostPort}`,
      });
    }
    if (!info.State.Running) await d.containers.start(reg.name);
    return { created: false };
  }
  await requireHostPortFree(reg.port, "cluster.registry.port", configFile);
  const image = applyOverride(REGISTRY_IMAGE, overrides);
  await ensureImage(image);
  const created = await d.containers.create({
    name: reg.name,
    Image: image,
    Labels: { [REGISTRY_LABEL]: "true" },
    ExposedPorts: { [`${REGISTRY_CONTAINER_PORT}/tcp`]: {} },
    HostConfig: {
      PortBindings: { [`${REGISTRY_CONTAINER_PORT}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: String(reg.port) }] },
      RestartPolicy: { Name: "always" },
    },
  });
  await d.containers.start(created);
  return { created: true };
}

async function ensureImage(image: string): Promise<void> {
  const d = await docker();
  if (await d.images.inspect(image).then(() => true, () => false)) return;
  try {
    await d.followProgress(await d.images.pull(image));
  } catch (e) {
    throw new DevenvError(`cannot pull the registry image ${image}`, {
      cause: e,
      hint: `pull it by hand, or map "${REGISTRY_IMAGE}" to an image you have in imageOverrides (devenv.ts) or DEVENV_IMAGE_OVERRIDES`,
    });
  }
}

/** Joins the registry to the cluster's Docker network (kind: `kind`, k3d: `k3d-<name>`). Idempotent. */
export async function connectRegistry(reg: RegistryConfig, network: string): Promise<void> {
  const d = await docker();
  const info = await d.containers.inspect(reg.name);
  if (info.NetworkSettings.Networks?.[network]) return;
  await d.networks.connect(network, { Container: reg.name });
}

/** Takes the registry off the cluster's network, if it is on it: a network with a container still
 *  attached cannot be removed, so `k3d cluster delete` would leave `k3d-<name>` behind. A missing
 *  container (or no daemon) is nothing to do. Idempotent. */
export async function disconnectRegistry(reg: Pick<RegistryConfig, "name">, network: string): Promise<boolean> {
  const d = await docker();
  const info = await d.containers.inspect(reg.name).catch(() => undefined);
  if (!info?.NetworkSettings.Networks?.[network]) return false;
  await d.networks.disconnect(network, { Container: reg.name, Force: true });
  return true;
}

/** Writes the registry's hosts.toml into each node's containerd config (kind nodes). */
export async function writeHostsToml(reg: RegistryConfig, nodes: string[]): Promise<void> {
  const files = registryHostsFiles(reg);
  await Promise.all(
    nodes.flatMap((node) =>
      files.map((f) => {
        const dir = f.path.slice(0, f.path.lastIndexOf("/"));
        // The paths are arguments ($1, $2), never part of the script.
        return run("docker", ["exec", "-i", node, "sh", "-c", 'mkdir -p "$1" && cat > "$2"', "sh", dir, f.path], { input: f.content });
      }),
    ),
  );
}

/** Removes the registry container if devenv created it; returns whether it did. */
export async function removeRegistry(reg: RegistryConfig): Promise<boolean> {
  const d = await docker();
  const info = await d.containers.inspect(reg.name).catch(() => undefined);
  if (!info) return false;
  if (info.Config.Labels?.[REGISTRY_LABEL] !== "true") {
    throw new DevenvError(`container "${reg.name}" was not created by devenv; leaving it alone`, { hint: `remove it yourself with \`docker rm -f ${reg.name}\` if you mean to` });
  }
  await d.containers.remove(reg.name, { force: true, v: true });
  return true;
}

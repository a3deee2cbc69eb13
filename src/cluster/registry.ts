// The local registry (KEP-1755): a `devenv-registry` container on localhost:<port>, joined to
// the cluster's Docker network, made known to each node's containerd (hosts.toml) and to
// tools like Tilt and Skaffold (the kube-public/local-registry-hosting ConfigMap).
import { stringify } from "yaml";
import { docker } from "../docker/client.js";
import { applyOverride } from "../config/overrides.js";
import { DevenvError } from "../errors/devenv-error.js";
import { run, tryRun } from "../exec/runner.js";
import type { ClusterConfig } from "../config/schema.js";
import type { KubeObject } from "../model/index.js";
import { REGISTRY_CONTAINER_PORT } from "./k3d-config.js";
import { requireHostPortFree } from "./ports.js";
import { done, notYet, waitFor } from "../wait/wait.js";

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

/** The named volume that holds the registry's storage: the push cache, kept by `down` and
 *  `reset --cluster`, removed by `reset --all`. */
export function registryVolume(reg: Pick<RegistryConfig, "name">): string {
  return `${reg.name}-data`;
}

/** Where registry:2 keeps its storage (its default filesystem root). */
const REGISTRY_STORAGE = "/var/lib/registry";

/** The container devenv creates for the registry. Pure. */
export function registryContainerSpec(reg: RegistryConfig, image: string) {
  return {
    name: reg.name,
    Image: image,
    Labels: { [REGISTRY_LABEL]: "true" },
    // Manifest DELETE (the old content tags' collection) is refused unless storage deletes are on.
    Env: ["REGISTRY_STORAGE_DELETE_ENABLED=true"],
    ExposedPorts: { [`${REGISTRY_CONTAINER_PORT}/tcp`]: {} },
    HostConfig: {
      PortBindings: { [`${REGISTRY_CONTAINER_PORT}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: String(reg.port) }] },
      RestartPolicy: { Name: "always" },
      // Docker creates the named volume (with the label) on first use and keeps it when the container goes.
      Mounts: [{ Type: "volume", Source: registryVolume(reg), Target: REGISTRY_STORAGE, VolumeOptions: { Labels: { [REGISTRY_LABEL]: "true" } } }],
    },
  };
}

/** Whether a reused container is one this devenv made with its storage on the named volume (older ones
 *  kept it in an anonymous volume, without deletes: they are re-created, losing only the cache). */
function current(info: { Config: { Labels?: Record<string, string>; Env?: string[] }; HostConfig: { [k: string]: unknown } }, reg: RegistryConfig): boolean {
  if (info.Config.Labels?.[REGISTRY_LABEL] !== "true") return true; // not ours: used as it is
  const mounts = (info.HostConfig.Mounts as { Source?: string }[] | undefined) ?? [];
  return mounts.some((m) => m.Source === registryVolume(reg)) && (info.Config.Env ?? []).includes("REGISTRY_STORAGE_DELETE_ENABLED=true");
}

/** Starts the registry container, creating it if missing; checks a reused one's port; waits until it
 *  answers on localhost:<port>. Idempotent. Throws a DevenvError saying why it cannot start (port taken,
 *  image neither cached nor pullable, no answer), which `up` turns into a fallback to node import. */
export async function ensureRegistry(reg: RegistryConfig, overrides: Record<string, string>, configFile: string, o: { readyTimeoutMs?: number } = {}): Promise<{ created: boolean }> {
  const d = await docker();
  let info = await d.containers.inspect(reg.name).catch(() => undefined);
  if (info && !current(info, reg)) {
    await d.containers.remove(reg.name, { force: true, v: true });
    info = undefined;
  }
  if (info) {
    const hostPort = info.HostConfig.PortBindings?.[`${REGISTRY_CONTAINER_PORT}/tcp`]?.[0]?.HostPort;
    if (hostPort !== String(reg.port)) {
      throw new DevenvError(`registry container "${reg.name}" publishes port ${hostPort ?? "none"}, devenv.ts wants ${reg.port}`, {
        where: `${configFile} (cluster.registry.port)`,
        hint: `remove it with \`devenv reset --all --yes\` (or \`docker rm -f ${reg.name}\`), or set cluster.registry.port to ${hostPort}`,
      });
    }
    if (!info.State.Running) await d.containers.start(reg.name);
    await waitAnswering(reg, o.readyTimeoutMs);
    return { created: false };
  }
  await requireHostPortFree(reg.port, "cluster.registry.port", configFile);
  const image = applyOverride(REGISTRY_IMAGE, overrides);
  await ensureImage(image);
  const created = await d.containers.create(registryContainerSpec(reg, image));
  await d.containers.start(created);
  await waitAnswering(reg, o.readyTimeoutMs);
  return { created: true };
}

/** Waits for `GET /v2/` on the host port (the registry binds within a second). */
async function waitAnswering(reg: RegistryConfig, timeoutMs = 30_000): Promise<void> {
  const url = `http://localhost:${reg.port}/v2/`;
  await waitFor(
    `registry ${reg.name} on localhost:${reg.port}`,
    async ({ signal }) => {
      // Each attempt has its own short deadline: a connection the port forwarder accepts before the
      // container listens can hang, and is then simply tried again.
      const r = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(2000)]) }).catch((e: Error) => e);
      return r instanceof Error ? notYet(r.message) : r.ok || r.status === 401 ? done() : notYet(`GET ${url} answered HTTP ${r.status}`);
    },
    { timeoutMs, intervalMs: 100, maxIntervalMs: 500, hint: `see \`docker logs ${reg.name}\`` },
  );
}

async function ensureImage(image: string): Promise<void> {
  const d = await docker();
  if (await d.images.inspect(image).then(() => true, () => false)) return; // the host cache: nothing pulled after the first run
  try {
    await d.followProgress(await d.images.pull(image));
  } catch (e) {
    throw new DevenvError(`the registry image ${image} is not in the local image cache and cannot be pulled`, {
      cause: e,
      hint: `pull it once while online (\`docker pull ${image}\`), or map "${REGISTRY_IMAGE}" to an image you have in imageOverrides (devenv.ts) or DEVENV_IMAGE_OVERRIDES`,
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

/** Whether a node's containerd was set up to pull `localhost:<port>/…` from the registry container: kind
 *  nodes need certs.d as containerd's config_path (set at creation by devenv's kind config), k3s nodes the
 *  mirror in /etc/rancher/k3s/registries.yaml (k3d writes it at creation only). A cluster created while the
 *  registry was off lacks it, and its kubelet could not pull what devenv pushes. */
export async function mirrorWired(reg: Pick<RegistryConfig, "port">, mirror: "hosts-toml" | "registries-yaml", node: string): Promise<boolean> {
  const script =
    mirror === "hosts-toml"
      ? "containerd config dump 2>/dev/null | grep -Eq 'config_path = .?/etc/containerd/certs.d'"
      : 'grep -qF "$1" /etc/rancher/k3s/registries.yaml';
  const r = await tryRun("docker", ["exec", node, "sh", "-c", script, "sh", `localhost:${reg.port}:`], { timeoutMs: 15_000 });
  return r.exitCode === 0;
}

/** Removes the registry container if devenv created it, and its storage volume; returns whether it removed either. */
export async function removeRegistry(reg: Pick<RegistryConfig, "name">): Promise<boolean> {
  const d = await docker();
  const info = await d.containers.inspect(reg.name).catch(() => undefined);
  if (info && info.Config.Labels?.[REGISTRY_LABEL] !== "true") {
    throw new DevenvError(`container "${reg.name}" was not created by devenv; leaving it alone`, { hint: `remove it yourself with \`docker rm -f ${reg.name}\` if you mean to` });
  }
  if (info) await d.containers.remove(reg.name, { force: true, v: true });
  const volume = (await d.volumes.list({ filters: { name: [registryVolume(reg)], label: [`${REGISTRY_LABEL}=true`] } })).find((v) => v.Name === registryVolume(reg));
  if (volume) await d.volumes.remove(volume.Name);
  return Boolean(info || volume);
}

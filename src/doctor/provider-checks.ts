// Doctor checks that depend on the cluster provider: who holds the ingress ports (a devenv
// cluster holding them is fine), the Docker image store mode (kind#3795), and whether Docker
// Desktop has room for a cluster with addons. Verdicts are pure; the checks read the engine.
import { docker, pingDocker } from "../docker/client.js";
import { portFree, portOwner } from "../docker/host-ports.js";
import type { Check, CheckResult, DoctorOptions } from "./check.js";
import type { ProviderTraits } from "../cluster/traits.js";
import { REGISTRY_IMAGE } from "../cluster/registry.js";
import { applyOverride } from "../config/overrides.js";

type Verdict = Omit<CheckResult, "id" | "title">;

export type ProviderDoctorOptions = DoctorOptions;

/** The container that publishes the ingress ports for this provider, if devenv manages the cluster. */
export function ingressContainer(o: ProviderDoctorOptions): string | undefined {
  return o.traits.portPublisher?.(o.name ?? "devenv");
}

/** Port verdict: free, held by this environment's own cluster (fine), or by something else. Pure. */
export function portVerdict(port: number, field: string, free: boolean, owner: string | undefined, ours: string | undefined): Verdict {
  if (free) return { status: "ok", detail: "free" };
  if (ours && owner === `container ${ours}`) return { status: "ok", detail: `held by this environment's cluster (${ours})` };
  return {
    status: "warn",
    detail: `in use${owner ? ` by ${owner}` : ""}`,
    hint: `stop ${owner ?? "what listens on it"}, or set ${field} in devenv.ts to a free port (kind#1460)`,
  };
}

/** Image store verdict from `docker info`: the containerd snapshotter breaks `kind load` (kind#3795). Pure. */
export function imageStoreVerdict(info: { Driver?: string; DriverStatus?: [string, string][] }, traits: Pick<ProviderTraits, "loadBreaksOnContainerdStore">): Verdict {
  const containerdStore = (info.DriverStatus ?? []).some(([k, v]) => k === "driver-type" && v.includes("containerd.snapshotter")) || /^(overlayfs|stargz)$/.test(info.Driver ?? "");
  if (!containerdStore) return { status: "ok", detail: `classic image store (${info.Driver ?? "unknown driver"})` };
  const detail = `containerd image store (${info.Driver})`;
  if (!traits.loadBreaksOnContainerdStore) return { status: "ok", detail };
  return {
    status: "warn",
    detail: `${detail}: \`kind load\` can fail with "content digest … not found" (kind#3795)`,
    hint: "turn off Docker Desktop → Settings → General → \"Use containerd for pulling and storing images\", or keep cluster.registry enabled (the default) so images are pushed instead of loaded",
  };
}

/** Docker Desktop verdict: a cluster plus NFS, metrics-server and ingress wants 4 CPUs and 8 GiB. Pure. */
export function desktopResourcesVerdict(info: { OperatingSystem?: string; NCPU: number; MemTotal: number }, traits: Pick<ProviderTraits, "managed">): Verdict {
  const gib = info.MemTotal / 2 ** 30;
  const detail = `${info.NCPU} CPUs, ${gib.toFixed(1)} GiB`;
  if (!/Docker Desktop/i.test(info.OperatingSystem ?? "")) return { status: "ok", detail: `${detail} (${info.OperatingSystem ?? "not Docker Desktop"})` };
  if (!traits.managed) return { status: "ok", detail: `${detail} (Docker Desktop; the cluster runs elsewhere)` };
  if (info.NCPU < 4 || gib < 7.5) {
    return { status: "warn", detail: `${detail} on Docker Desktop`, hint: "give Docker Desktop at least 4 CPUs and 8 GiB for a cluster with addons: Settings → Resources" };
  }
  return { status: "ok", detail: `${detail} on Docker Desktop` };
}

/** Registry port verdict: free, held by this environment's registry container (fine), or by something
 *  else, in which case `up` falls back to node import (slower) until it is freed. Pure. */
export function registryPortVerdict(reg: { port: number; name: string }, free: boolean, owner: string | undefined): Verdict {
  if (free) return { status: "ok", detail: "free (the local registry will listen there)" };
  if (owner === `container ${reg.name}`) return { status: "ok", detail: `held by this environment's registry (${reg.name})` };
  return {
    status: "warn",
    detail: `in use${owner ? ` by ${owner}` : ""}: the local registry cannot start, so \`devenv up\` imports images into the nodes instead (every load sends the whole image)`,
    hint: `stop ${owner ?? "what listens on it"}, or set cluster.registry.port in devenv.ts to a free port (e.g. ${reg.port + 1}); cluster.registry.enabled: false opts out of the registry`,
  };
}

/** Registry image verdict: cached (nothing is pulled), or missing (the first `up` pulls it; offline it falls back). Pure. */
export function registryImageVerdict(image: string, cached: boolean): Verdict {
  if (cached) return { status: "ok", detail: `${image} in the local image cache` };
  return {
    status: "warn",
    detail: `${image} is not in the local image cache: the first \`devenv up\` pulls it (offline, it imports images into the nodes instead)`,
    hint: `\`docker pull ${image}\` once while online, or map "registry:2" to a local image in devenv.ts imageOverrides / DEVENV_IMAGE_OVERRIDES`,
  };
}

/** The provider checks `devenv doctor` adds. */
export function providerChecks(o: ProviderDoctorOptions): Check[] {
  const { managed } = o.traits;
  const ports = managed
    ? ([["http", o.ports.http], ["https", o.ports.https]] as const).map(([key, port]): Check => ({
        id: `ingress-port-${key}`,
        title: `port ${port} (ingress ${key})`,
        run: async () => {
          const free = await portFree(port);
          return portVerdict(port, `cluster.ports.${key}`, free, free ? undefined : await portOwner(port), ingressContainer(o));
        },
      }))
    : [];
  const reg = o.env?.config.cluster.registry;
  const registryPort: Check[] =
    managed && reg?.enabled
      ? [{
          id: "registry-port",
          title: `port ${reg.port} (local registry)`,
          run: async () => {
            const free = await portFree(reg.port);
            return registryPortVerdict(reg, free, free ? undefined : await portOwner(reg.port));
          },
        }]
      : [];
  if (managed && reg?.enabled) {
    const image = applyOverride(REGISTRY_IMAGE, o.env?.config.imageOverrides ?? {});
    registryPort.push({
      id: "registry-image",
      title: "local registry image",
      run: async () => {
        if (!(await pingDocker()).ok) return { status: "warn", detail: "skipped: the daemon is not reachable" };
        const cached = await (await docker()).images.inspect(image).then(() => true, () => false);
        return registryImageVerdict(image, cached);
      },
    });
  }
  const info = async () => ((await pingDocker()).ok ? (await docker()).info() : undefined);
  return [
    ...ports,
    ...registryPort,
    {
      id: "image-store",
      title: "Docker image store",
      run: async () => {
        const i = await info();
        return i ? imageStoreVerdict(i, o.traits) : { status: "warn", detail: "skipped: the daemon is not reachable" };
      },
    },
    {
      id: "docker-desktop-resources",
      title: "Docker Desktop resources",
      run: async () => {
        const i = await info();
        if (!i) return { status: "warn", detail: "skipped: the daemon is not reachable" };
        // Only Docker Desktop has a resources setting to fix; on a Linux engine the line says nothing.
        return /Docker Desktop/i.test(i.OperatingSystem ?? "") ? desktopResourcesVerdict(i, o.traits) : undefined;
      },
    },
  ];
}

// Replaces a container by one of the same configuration running a new image (what compose's
// `up` does for a changed service), keeping its name, ports, mounts, labels and networks.
import type { ContainerConfig, ContainerCreateOptions, ContainerInspect, DockerClient, EndpointSettings } from "../docker/client.js";
import { DevenvError } from "../errors/devenv-error.js";
import { dockerArgv, isSupervised } from "../images/process-supervisor.js";

/** Config fields a container inherits from its image: kept only where the container overrides them. */
const INHERITED = ["Cmd", "Entrypoint", "WorkingDir", "User", "ExposedPorts", "Healthcheck", "Volumes", "StopSignal", "Shell", "OnBuild"] as const;

/**
 * The container's config minus what it inherited from `oldImage`, so the new image's defaults
 * apply. Under the process supervisor the Cmd is the argv behind it: the old image's
 * ENTRYPOINT+CMD becomes the new image's (`newImage`), anything else is kept. Pure.
 */
export function ownConfig(config: ContainerConfig, oldImage: Partial<ContainerConfig> | undefined, newImage?: Partial<ContainerConfig>): ContainerConfig {
  if (!oldImage) return config;
  const out: Record<string, unknown> = { ...config };
  const inherited = oldImage as Record<string, unknown>;
  for (const key of INHERITED) if (JSON.stringify(out[key] ?? null) === JSON.stringify(inherited[key] ?? null)) delete out[key];
  if (isSupervised(config.Entrypoint as string[] | undefined)) {
    // An Entrypoint given at create drops the image's CMD: the supervisor's argv must be explicit.
    const argvOf = (i: Partial<ContainerConfig>) => dockerArgv({}, { entrypoint: i.Entrypoint as string[] | null, cmd: i.Cmd as string[] | null });
    const fromOldImage = JSON.stringify(config.Cmd ?? []) === JSON.stringify(argvOf(oldImage));
    out.Cmd = fromOldImage && newImage ? argvOf(newImage) : config.Cmd;
  }
  const imageEnv = new Set(oldImage.Env ?? []);
  out.Env = (config.Env ?? []).filter((e) => !imageEnv.has(e));
  const imageLabels = oldImage.Labels ?? {};
  out.Labels = Object.fromEntries(Object.entries(config.Labels ?? {}).filter(([k, v]) => imageLabels[k] !== v));
  return out as ContainerConfig;
}

/** The create options of a container like `info`, but running `image`. Pure. */
export function recreateOptions(info: ContainerInspect, image: string, oldImage?: Partial<ContainerConfig>, newImage?: Partial<ContainerConfig>): { create: ContainerCreateOptions; extraNetworks: [string, EndpointSettings][] } {
  const name = info.Name.replace(/^\//, "");
  const networks = Object.entries(info.NetworkSettings?.Networks ?? {});
  const primaryName = info.HostConfig?.NetworkMode && networks.some(([n]) => n === info.HostConfig.NetworkMode) ? info.HostConfig.NetworkMode : networks[0]?.[0];
  const endpoint = (n: EndpointSettings): EndpointSettings => ({
    Aliases: (n.Aliases ?? []).filter((a) => a !== info.Id.slice(0, 12)), // the old ID alias would be stale
    Links: n.Links,
    IPAMConfig: n.IPAMConfig,
  });
  const primary = networks.find(([n]) => n === primaryName);
  return {
    create: {
      ...ownConfig(info.Config, oldImage, newImage),
      name,
      Image: image,
      HostConfig: info.HostConfig,
      // API < 1.44 accepts one network at create; the others are connected afterwards.
      NetworkingConfig: primary ? { EndpointsConfig: { [primary[0]]: endpoint(primary[1]) } } : undefined,
    },
    extraNetworks: networks.filter(([n]) => n !== primaryName && !["bridge", "host", "none"].includes(n)).map(([n, s]) => [n, endpoint(s)]),
  };
}

/** Stops `id`, starts a same-config container on `image`, removes the old one; restores it if that fails. */
export async function recreateContainer(d: DockerClient, id: string, image: string): Promise<string> {
  const info = await d.containers.inspect(id);
  const [oldImage, newImage] = await Promise.all([info.Image, image].map((ref) => d.images.inspect(ref).then((i) => i.Config, () => undefined)));
  const { create, extraNetworks } = recreateOptions(info, image, oldImage, newImage);
  const name = create.name!;
  await d.containers.stop(id, { t: 2 }).catch(ignoreNotModified);
  await d.containers.rename(id, `${name}-devenv-old-${Date.now().toString(36)}`);
  try {
    const fresh = await d.containers.create(create);
    for (const [net, endpoint] of extraNetworks) await d.networks.connect(net, { Container: fresh, EndpointConfig: endpoint });
    await d.containers.start(fresh);
    await d.containers.remove(id, { force: true, v: false });
    return name;
  } catch (e) {
    await d.containers.remove(name, { force: true }).catch(() => {});
    await d.containers.rename(id, name).catch(() => {});
    await d.containers.start(id).catch(() => {});
    throw new DevenvError(`replacing container ${name} with ${image} failed: ${(e as Error).message}`, { cause: e, hint: "the old container was restored; check the image starts with `docker run`" });
  }
}

function ignoreNotModified(e: { statusCode?: number }): void {
  if (e.statusCode !== 304) throw e; // 304: already stopped
}

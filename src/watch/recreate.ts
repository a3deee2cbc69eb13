// Replaces a container by one of the same configuration running a new image (what compose's
// `up` does for a changed service), keeping its name, ports, mounts, labels and networks.
import type Dockerode from "dockerode";
import { DevenvError } from "../errors/devenv-error.js";

/** Config fields a container inherits from its image: kept only where the container overrides them. */
const INHERITED = ["Cmd", "Entrypoint", "WorkingDir", "User", "ExposedPorts", "Healthcheck", "Volumes", "StopSignal", "Shell", "OnBuild"] as const;

/** The container's config minus what it inherited from `oldImage`, so the new image's defaults apply. Pure. */
export function ownConfig(config: Dockerode.ContainerInspectInfo["Config"], oldImage: Partial<Dockerode.ContainerInspectInfo["Config"]> | undefined): Dockerode.ContainerInspectInfo["Config"] {
  if (!oldImage) return config;
  const out: Record<string, unknown> = { ...config };
  const inherited = oldImage as Record<string, unknown>;
  for (const key of INHERITED) if (JSON.stringify(out[key] ?? null) === JSON.stringify(inherited[key] ?? null)) delete out[key];
  const imageEnv = new Set(oldImage.Env ?? []);
  out.Env = (config.Env ?? []).filter((e) => !imageEnv.has(e));
  const imageLabels = oldImage.Labels ?? {};
  out.Labels = Object.fromEntries(Object.entries(config.Labels ?? {}).filter(([k, v]) => imageLabels[k] !== v));
  return out as Dockerode.ContainerInspectInfo["Config"];
}

/** The create options of a container like `info`, but running `image`. Pure. */
export function recreateOptions(info: Dockerode.ContainerInspectInfo, image: string, oldImage?: Partial<Dockerode.ContainerInspectInfo["Config"]>): { create: Dockerode.ContainerCreateOptions; extraNetworks: [string, Dockerode.EndpointSettings][] } {
  const name = info.Name.replace(/^\//, "");
  const networks = Object.entries(info.NetworkSettings?.Networks ?? {});
  const primaryName = info.HostConfig?.NetworkMode && networks.some(([n]) => n === info.HostConfig.NetworkMode) ? info.HostConfig.NetworkMode : networks[0]?.[0];
  const endpoint = (n: Dockerode.EndpointSettings): Dockerode.EndpointSettings => ({
    Aliases: (n.Aliases ?? []).filter((a) => a !== info.Id.slice(0, 12)), // the old ID alias would be stale
    Links: n.Links,
    IPAMConfig: n.IPAMConfig,
  });
  const primary = networks.find(([n]) => n === primaryName);
  return {
    create: {
      ...ownConfig(info.Config, oldImage),
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
export async function recreateContainer(d: Dockerode, id: string, image: string): Promise<string> {
  const old = d.getContainer(id);
  const info = await old.inspect();
  const oldImage = await d.getImage(info.Image).inspect().then((i) => i.Config as Partial<Dockerode.ContainerInspectInfo["Config"]>, () => undefined);
  const { create, extraNetworks } = recreateOptions(info, image, oldImage);
  const name = create.name!;
  await old.stop({ t: 2 }).catch(ignoreNotModified);
  await old.rename({ name: `${name}-devenv-old-${Date.now().toString(36)}` });
  try {
    const fresh = await d.createContainer(create);
    for (const [net, endpoint] of extraNetworks) await d.getNetwork(net).connect({ Container: fresh.id, EndpointConfig: endpoint });
    await fresh.start();
    await old.remove({ force: true, v: false });
    return name;
  } catch (e) {
    await d.getContainer(name).remove({ force: true }).catch(() => {});
    await old.rename({ name }).catch(() => {});
    await old.start().catch(() => {});
    throw new DevenvError(`replacing container ${name} with ${image} failed: ${(e as Error).message}`, { cause: e, hint: "the old container was restored; check the image starts with `docker run`" });
  }
}

function ignoreNotModified(e: { statusCode?: number }): void {
  if (e.statusCode !== 304) throw e; // 304: already stopped
}

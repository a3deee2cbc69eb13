// What the Docker engine offers for building and saving images, detected rather than assumed:
// BuildKit (the `/_ping` `Builder-Version` header), the containerd image store (`docker info`
// driver-type), and image IDs by reference.
import type { DockerClient } from "../docker/client.js";
import type { ImageInspect } from "../docker/types.js";

/** The builder to ask for: "2" (BuildKit) when the engine advertises it, else "1" (classic). */
export function builderFromPing(headers: Record<string, string | string[] | undefined>): "1" | "2" {
  const v = headers["builder-version"];
  return (Array.isArray(v) ? v[0] : v) === "2" ? "2" : "1";
}

/** `DOCKER_BUILDKIT=1|0` forces the builder like it does for the docker CLI; unset: detect. */
export function builderFromEnv(value: string | undefined): "1" | "2" | undefined {
  if (value === undefined || value === "") return undefined;
  return /^(1|true)$/i.test(value) ? "2" : "1";
}

/** Reads the engine's `/_ping` headers; without them (TLS, no answer) the builder every engine has. */
export async function detectBuilder(d: DockerClient): Promise<"1" | "2"> {
  return builderFromPing((await d.pingHeaders()) ?? {});
}

/** Whether `docker info` says images live in containerd (Docker Desktop's default), where
 *  a plain save of a multi-platform image fails (kind#3795). */
export function usesContainerdStore(info: { DriverStatus?: [string, string][] | null; Driver?: string }): boolean {
  return (info.DriverStatus ?? []).some(([k, v]) => k === "driver-type" && v.startsWith("io.containerd.snapshotter"));
}

/** The engine's image ID for a reference, or undefined when the engine does not have it. */
export async function imageIdOf(d: DockerClient, ref: string): Promise<string | undefined> {
  try {
    return (await d.images.inspect(ref)).Id;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 404) return undefined;
    throw e;
  }
}

/** `linux/amd64`-style platform of the engine, for `docker save --platform`. */
export function enginePlatform(info: { OSType?: string; Architecture?: string }): string {
  const arch = info.Architecture === "x86_64" ? "amd64" : info.Architecture === "aarch64" ? "arm64" : (info.Architecture ?? "amd64");
  return `${info.OSType ?? "linux"}/${arch}`;
}

/** Whether API version `have` (e.g. "1.41") is at least `want`. */
export function apiAtLeast(have: string, want: string): boolean {
  const [a1 = 0, a2 = 0] = have.split(".").map(Number);
  const [b1 = 0, b2 = 0] = want.split(".").map(Number);
  return a1 !== b1 ? a1 > b1 : a2 >= b2;
}

/** The `platform` option for a save (GET /images/get, API ≥ 1.48) when the engine uses the
 *  containerd store; nothing otherwise (classic store images are single-platform). */
export async function savePlatform(d: DockerClient): Promise<{ platform?: { os: string; architecture: string } }> {
  const info = await d.info();
  if (!usesContainerdStore(info)) return {};
  const { ApiVersion } = await d.version();
  if (!apiAtLeast(ApiVersion, "1.48")) return {};
  const [os, architecture] = enginePlatform(info).split("/");
  return { platform: { os: os!, architecture: architecture! } };
}

/** Whether a media type names an index (manifest list) rather than one image manifest. */
function isIndex(mediaType: string | undefined): boolean {
  return mediaType === "application/vnd.oci.image.index.v1+json" || mediaType === "application/vnd.docker.distribution.manifest.list.v2+json";
}

/**
 * The digest a node's `ctr images ls` shows for an image after `docker save` | `ctr images
 * import`, when the engine can name it: the containerd image store. There `docker image
 * inspect`'s Id is the image's target (usually an index), `docker save` exports that target, or
 * with one platform asked the platform's image manifest (moby daemon/containerd/image_exporter.go,
 * getPushDescriptor), and `ctr images import` names the ref after the exported descriptor
 * (containerd client/import.go). `platform` is what the save asks (savePlatform()); `inspect` was
 * read with `manifests: true`. Undefined when the manifest cannot be told (then the node check
 * falls back to the config digest). Not for the classic store: there ctr builds its own manifest
 * from the archive and only the config digest (= Id) is shared.
 */
export function exportedDigest(inspect: ImageInspect, platform?: { os: string; architecture: string }): string | undefined {
  if (!platform) return inspect.Id;
  const match = (inspect.Manifests ?? []).find((m) => m.Kind === "image" && m.Available && m.ImageData?.Platform.os === platform.os && m.ImageData.Platform.architecture === platform.architecture);
  if (match) return match.ID;
  // A single-manifest image: its target is the manifest itself.
  if (inspect.Descriptor && !isIndex(inspect.Descriptor.mediaType)) return inspect.Id;
  return undefined;
}

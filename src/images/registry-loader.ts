// Loads images through a local registry (KEP-1755 style, `localhost:<port>`): tag and push
// through the engine, so only layers the registry lacks travel. Before pushing, the registry's
// manifest for the tag is compared with the image ID: an unchanged image pushes nothing.
import { requireDocker } from "../docker/client.js";
import { DevenvError } from "../errors/devenv-error.js";
import type { ImageLoader, LoadReport } from "./loader.js";
import type { LoadImage } from "./node-store.js";
import { registryRef, repositoryOf } from "./refs.js";

/** Accept header for manifest lookups: every manifest and index type an engine pushes. */
export const MANIFEST_TYPES = [
  "application/vnd.docker.distribution.manifest.v2+json",
  "application/vnd.oci.image.manifest.v1+json",
  "application/vnd.docker.distribution.manifest.list.v2+json",
  "application/vnd.oci.image.index.v1+json",
].join(", ");

/** One event of the engine's push stream. */
export interface PushEvent {
  status?: string;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

/** Counts what a push uploaded: layers "Pushed" (vs "Layer already exists") and their bytes. Pure. */
export function summarizePush(events: PushEvent[]): { layersPushed: number; layersSkipped: number; bytes: number; error?: string } {
  const pushed = new Set<string>();
  const skipped = new Set<string>();
  const size = new Map<string, number>();
  let error: string | undefined;
  for (const ev of events) {
    if (ev.error || ev.errorDetail) error ??= ev.errorDetail?.message ?? ev.error;
    if (!ev.id) continue;
    if (ev.status === "Pushed") pushed.add(ev.id);
    else if (ev.status === "Layer already exists") skipped.add(ev.id);
    else if (ev.status === "Pushing" && ev.progressDetail) size.set(ev.id, Math.max(size.get(ev.id) ?? 0, ev.progressDetail.total ?? ev.progressDetail.current ?? 0));
  }
  const bytes = [...pushed].reduce((n, id) => n + (size.get(id) ?? 0), 0);
  return { layersPushed: pushed.size, layersSkipped: skipped.size, bytes, error };
}

export class RegistryLoader implements ImageLoader {
  readonly via = "registry" as const;
  readonly targets: readonly string[];

  /** `keepTags`: after a push, the content tags of that repository kept in the registry (older ones are
   *  deleted, registry-gc.ts); false: keep all. */
  constructor(
    private readonly registry: string,
    private readonly o: { keepTags?: number | false } = {},
  ) {
    this.targets = [registry];
  }

  async missing(images: LoadImage[]): Promise<Map<string, string[]>> {
    const lacking: string[] = [];
    for (const img of images) if (!(await this.holds(img))) lacking.push(img.ref);
    return new Map([[this.registry, lacking]]);
  }

  async load(images: LoadImage[], onProgress: (line: string) => void = () => {}): Promise<LoadReport[]> {
    const d = await requireDocker();
    const reports: LoadReport[] = [];
    for (const img of images) {
      if (await this.holds(img)) {
        reports.push({ target: this.registry, ref: img.ref, action: "present", bytes: 0, layersPushed: 0 });
        continue;
      }
      const target = registryRef(img.ref, this.registry);
      const tag = target.slice(repositoryOf(target).length + 1) || "latest";
      await d.images.tag(img.id, { repo: repositoryOf(target), tag });
      onProgress(`pushing ${target}`);
      const events = await this.push(target, onProgress);
      const s = summarizePush(events);
      if (s.error) throw pushFailed(target, this.registry, s.error);
      reports.push({ target: this.registry, ref: img.ref, action: "pushed", bytes: s.bytes, layersPushed: s.layersPushed });
      if (this.o.keepTags !== false) await this.collect(target, tag, onProgress);
    }
    return reports;
  }

  /** Deletes the repository's old content tags in the registry; never fails the load. */
  private async collect(target: string, tag: string, onProgress: (line: string) => void): Promise<void> {
    const repo = repositoryOf(target).slice(this.registry.length + 1);
    const { collectRegistryTags, REGISTRY_KEEP_TAGS } = await import("./registry-gc.js");
    const keep = typeof this.o.keepTags === "number" ? this.o.keepTags : REGISTRY_KEEP_TAGS;
    const r = await collectRegistryTags(this.registry, repo, { keep, protect: [tag] }).catch((e: Error) => ({ deleted: [], error: e.message }));
    if (r.deleted.length) onProgress(`registry: deleted ${r.deleted.length} old content tag${r.deleted.length === 1 ? "" : "s"} of ${repo} (kept the newest ${keep})`);
    if (r.error) onProgress(`registry: old content tags of ${repo} not deleted: ${r.error}`);
  }

  /** Whether the registry's manifest for the tag is this image (config digest = image ID). */
  private async holds(img: LoadImage): Promise<boolean> {
    const target = registryRef(img.ref, this.registry);
    const repo = repositoryOf(target).slice(this.registry.length + 1);
    const tag = target.slice(repositoryOf(target).length + 1) || "latest";
    let res: Response;
    try {
      res = await fetch(`http://${this.registry}/v2/${repo}/manifests/${tag}`, { headers: { Accept: MANIFEST_TYPES } });
    } catch (e) {
      throw pushFailed(target, this.registry, e instanceof Error ? e.message : String(e), e);
    }
    if (res.status === 404) return false;
    if (!res.ok) throw pushFailed(target, this.registry, `manifest lookup answered HTTP ${res.status}`);
    const body = (await res.json()) as { config?: { digest?: string } };
    // Classic store: the image ID is the config digest. Containerd store: it is the manifest/index digest.
    return body.config?.digest === img.id || res.headers.get("docker-content-digest") === img.id;
  }

  private async push(target: string, onProgress: (line: string) => void): Promise<PushEvent[]> {
    const d = await requireDocker();
    // Without credentials: local registries need none (the client sends the empty header the push API wants).
    const stream = await d.images.push(target);
    const events: PushEvent[] = [];
    await d
      .followProgress<PushEvent>(stream, (ev) => {
        events.push(ev);
        if (ev.status && ev.id && ev.status !== "Pushing") onProgress(`${ev.id}: ${ev.status}`);
      })
      .catch((err: Error) => {
        throw pushFailed(target, this.registry, err.message, err);
      });
    return events;
  }
}

function pushFailed(target: string, registry: string, message: string, cause?: unknown): DevenvError {
  return new DevenvError(`pushing ${target} to the local registry failed: ${message}`, {
    cause,
    hint: `check that the registry answers: curl http://${registry}/v2/ (devenv up starts it as cluster.registry.name)`,
  });
}

// Old content tags in the local registry: every rebuild pushes a new `<repo>:devenv-<hash>`, so
// after each push devenv keeps the newest few per repository (by the image config's `created`)
// and deletes the others' manifests through the registry v2 API:
//   GET /v2/<repo>/tags/list → GET /v2/<repo>/manifests/<tag> (Accept: the manifest types; the
//   digest is the Docker-Content-Digest header) → DELETE /v2/<repo>/manifests/<digest>.
// The registry refuses DELETE (405) unless storage deletes are on (devenv's container sets
// REGISTRY_STORAGE_DELETE_ENABLED=true). A deleted manifest's blobs stay on disk until the
// registry's own `garbage-collect` runs, which is only safe while nothing pushes; devenv does not
// run it: the storage volume is a cache that `devenv reset --all` removes.
import { MANIFEST_TYPES } from "./registry-loader.js";

/** How many content tags per repository the registry keeps (the running one and a couple to go back to). */
export const REGISTRY_KEEP_TAGS = 3;

const CONTENT_TAG = /^devenv-[0-9a-f]{12}$/;

export interface RegistryTag {
  tag: string;
  /** Manifest (or index) digest the tag points at. */
  digest: string;
  /** The image config's `created` (ms since the epoch); 0 when unknown. */
  created: number;
}

/** Which manifests to delete: the content tags beyond the newest `keep`, never one in `protect` and never a
 *  digest a kept tag (content or not) also points at. Pure. */
export function planRegistryCollection(tags: RegistryTag[], keep = REGISTRY_KEEP_TAGS, protect: string[] = []): { keep: string[]; delete: RegistryTag[] } {
  const content = tags.filter((t) => CONTENT_TAG.test(t.tag)).sort((a, b) => b.created - a.created || a.tag.localeCompare(b.tag));
  const kept = new Set<string>([...tags.filter((t) => !CONTENT_TAG.test(t.tag)).map((t) => t.tag), ...content.slice(0, keep).map((t) => t.tag), ...protect]);
  const keptDigests = new Set(tags.filter((t) => kept.has(t.tag)).map((t) => t.digest));
  const del: RegistryTag[] = [];
  const seen = new Set<string>();
  for (const t of content) {
    if (kept.has(t.tag) || keptDigests.has(t.digest) || seen.has(t.digest)) continue;
    seen.add(t.digest);
    del.push(t);
  }
  return { keep: content.filter((t) => kept.has(t.tag)).map((t) => t.tag), delete: del };
}

export interface CollectionReport {
  repository: string;
  deleted: string[];
  kept: string[];
  /** Why nothing could be deleted (e.g. deletes disabled), when so. */
  error?: string;
}

/** Deletes the old content tags of `repository` (path in the registry, e.g. `acme/api`) in the registry at `host`. */
export async function collectRegistryTags(host: string, repository: string, o: { keep?: number; protect?: string[] } = {}): Promise<CollectionReport> {
  const base = `http://${host}/v2/${repository}`;
  const list = await fetch(`${base}/tags/list`);
  if (list.status === 404) return { repository, deleted: [], kept: [] };
  if (!list.ok) return { repository, deleted: [], kept: [], error: `listing tags answered HTTP ${list.status}` };
  const names = ((await list.json()) as { tags?: string[] | null }).tags ?? [];
  // Only content tags beyond `keep` can go: skip the lookups when there are not that many.
  if (names.filter((t) => CONTENT_TAG.test(t)).length <= (o.keep ?? REGISTRY_KEEP_TAGS)) return { repository, deleted: [], kept: names.filter((t) => CONTENT_TAG.test(t)) };
  const tags: RegistryTag[] = [];
  for (const tag of names) {
    const t = await describeTag(base, tag);
    if (t) tags.push(t);
  }
  const plan = planRegistryCollection(tags, o.keep, o.protect);
  const deleted: string[] = [];
  for (const t of plan.delete) {
    const r = await fetch(`${base}/manifests/${t.digest}`, { method: "DELETE" });
    if (r.status === 405) return { repository, deleted, kept: plan.keep, error: "the registry refuses deletes (REGISTRY_STORAGE_DELETE_ENABLED is not true): re-create it with `devenv reset --all`" };
    if (r.ok || r.status === 404) deleted.push(t.tag);
  }
  return { repository, deleted, kept: plan.keep };
}

async function describeTag(base: string, tag: string): Promise<RegistryTag | undefined> {
  const r = await fetch(`${base}/manifests/${tag}`, { headers: { Accept: MANIFEST_TYPES } });
  if (!r.ok) return undefined;
  const digest = r.headers.get("docker-content-digest");
  if (!digest) return undefined;
  let body = (await r.json()) as { config?: { digest?: string }; manifests?: { digest: string }[] };
  if (!body.config && body.manifests?.[0]) {
    // An index (containerd image store): the first manifest's config says when it was built.
    const m = await fetch(`${base}/manifests/${body.manifests[0].digest}`, { headers: { Accept: MANIFEST_TYPES } });
    body = m.ok ? ((await m.json()) as typeof body) : {};
  }
  let created = 0;
  if (body.config?.digest) {
    const c = await fetch(`${base}/blobs/${body.config.digest}`);
    if (c.ok) created = Date.parse(((await c.json()) as { created?: string }).created ?? "") || 0;
  }
  return { tag, digest, created };
}

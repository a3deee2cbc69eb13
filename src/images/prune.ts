// Content tags pile up: every change of a build's inputs makes a new `<repo>:devenv-<hash>`.
// `devenv down` and `devenv reset` keep the newest few per repository and remove the others'
// tags (never with force, never one a container's image has: the engine keeps the layers an
// image still shares with another).
import { docker } from "../docker/client.js";
import type { ImageSummary } from "../docker/types.js";
import { configuredRegistry, registryRef, repositoryOf } from "./refs.js";

/** How many content tags per repository `down` and `reset` keep. */
export const KEEP_CONTENT_TAGS = 3;

const CONTENT_TAG = /:devenv-[0-9a-f]{12}$/;

export interface TagPrunePlan {
  /** `repo:devenv-<hash>` to untag, newest first per repository. */
  remove: string[];
  /** Kept because a container (running or stopped) uses the image. */
  inUse: string[];
  /** Kept as the newest `keep` of their repository. */
  kept: string[];
}

/** Which content tags of these repositories to remove: all but the newest `keep` per repository, none a container uses. Pure. */
export function planTagPrune(images: Pick<ImageSummary, "Id" | "RepoTags" | "Created">[], repositories: string[], usedImageIds: Set<string>, keep = KEEP_CONTENT_TAGS): TagPrunePlan {
  const plan: TagPrunePlan = { remove: [], inUse: [], kept: [] };
  for (const repo of [...new Set(repositories)]) {
    const tags = images
      .flatMap((img) => (img.RepoTags ?? []).filter((t) => CONTENT_TAG.test(t) && repositoryOf(t) === repo).map((ref) => ({ ref, id: img.Id, created: img.Created ?? 0 })))
      .sort((a, b) => b.created - a.created || a.ref.localeCompare(b.ref));
    tags.forEach((t, i) => {
      if (i < keep) plan.kept.push(t.ref);
      else if (usedImageIds.has(t.id)) plan.inUse.push(t.ref);
      else plan.remove.push(t.ref);
    });
  }
  return plan;
}

/** The repositories devenv builds into for this env: each image's, and its name in the local registry when one is enabled. */
export function contentTagRepositories(config: { images: Record<string, { image: string }>; cluster?: { provider: string; registry: { enabled: boolean; port: number } } }): string[] {
  const registry = config.cluster ? configuredRegistry(config.cluster) : undefined;
  return Object.values(config.images).flatMap((img) => {
    const repo = repositoryOf(img.image);
    return registry ? [repo, repositoryOf(registryRef(repo, registry))] : [repo];
  });
}

/** Removes old content tags of these repositories; returns what it removed and kept. */
export async function pruneContentTags(repositories: string[], keep = KEEP_CONTENT_TAGS): Promise<TagPrunePlan & { failed: string[] }> {
  if (repositories.length === 0) return { remove: [], inUse: [], kept: [], failed: [] };
  const d = await docker();
  const images = await d.images.list({ filters: { reference: [...new Set(repositories)].map((r) => `${r}:devenv-*`) } });
  const used = new Set((await d.containers.list({ all: true })).map((c) => c.ImageID));
  const plan = planTagPrune(images, repositories, used, keep);
  const failed: string[] = [];
  const removed: string[] = [];
  for (const ref of plan.remove) {
    // Untags; the image goes when no other tag or container holds it. A conflict leaves it.
    await d.images.remove(ref).then(
      () => removed.push(ref),
      () => failed.push(ref),
    );
  }
  return { ...plan, remove: removed, failed };
}

/** One line for the output: what was removed and what was kept. */
export function describePrune(p: TagPrunePlan & { failed: string[] }, keep = KEEP_CONTENT_TAGS): string | undefined {
  if (p.remove.length === 0 && p.failed.length === 0 && p.inUse.length === 0) return undefined;
  const parts = [`removed ${p.remove.length} old content tag${p.remove.length === 1 ? "" : "s"} (kept the newest ${keep} per image)`];
  if (p.remove.length) parts[0] += `: ${p.remove.join(", ")}`;
  if (p.inUse.length) parts.push(`kept ${p.inUse.length} a container uses: ${p.inUse.join(", ")}`);
  if (p.failed.length) parts.push(`could not remove ${p.failed.join(", ")}`);
  return parts.join("; ");
}

// Images the manifests run that devenv does not build (postgres, redis, addon images): found
// in the rendered objects, rewritten by imageOverrides, and loaded from the host's image cache
// so a cluster needs no pulls after the first. Pure.
import { applyOverride } from "../config/overrides.js";
import type { BuiltImage, KubeObject } from "../model/index.js";
import { repositoryOf } from "./refs.js";

const CONTAINER_LISTS = new Set(["containers", "initContainers", "ephemeralContainers"]);

/** Every container image named anywhere in the objects (Pods, templates, CronJob job templates), in order, deduplicated. */
export function imagesInObjects(objects: readonly KubeObject[]): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== "object") return;
    for (const [k, child] of Object.entries(v)) {
      if (CONTAINER_LISTS.has(k) && Array.isArray(child)) {
        for (const c of child) if (c && typeof (c as { image?: unknown }).image === "string") found.add((c as { image: string }).image);
      }
      walk(child);
    }
  };
  walk(objects);
  return [...found];
}

/** The third-party refs to load: not built by devenv, after overrides, deduplicated. */
export function thirdPartyRefs(objects: readonly KubeObject[], built: Iterable<BuiltImage>, overrides: Record<string, string>): string[] {
  const builtRepos = new Set([...built].flatMap((b) => [b.repository, repositoryOf(b.ref)]));
  const refs = imagesInObjects(objects)
    .filter((ref) => !builtRepos.has(repositoryOf(ref)))
    .map((ref) => applyOverride(ref, overrides));
  return [...new Set(refs)];
}

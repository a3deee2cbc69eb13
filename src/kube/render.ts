// Renders the manifests devenv.ts names (through the one manifest reader, manifests.ts) into
// KubeObjects, with image references rewritten to what devenv built or overrides (pure).
import type { LoadedEnv } from "../config/load.js";
import type { BuiltImage, KubeObject } from "../model/index.js";
import { resolveImageRef } from "../images/refs.js";
import { loadManifests } from "./manifests.js";
import { containersOf } from "./pod-spec.js";

/** Rewrites container images to the built content tags or overrides (in place; returns the objects). */
export function rewriteImages(objects: KubeObject[], built: Map<string, BuiltImage>, overrides: Record<string, string>): KubeObject[] {
  for (const o of objects) {
    for (const c of containersOf(o, { init: true })) if (c.image) c.image = resolveImageRef(c.image, built, overrides);
  }
  return objects;
}

/** Renders devenv.ts `manifests` (kustomize or files); [] when none are configured. */
export async function renderManifests(env: LoadedEnv, built: Map<string, BuiltImage>): Promise<KubeObject[]> {
  const m = env.config.manifests;
  if (!m) return [];
  const objects = await loadManifests("kustomize" in m ? [m.kustomize] : m.files, env.root);
  return rewriteImages(objects, built, env.config.imageOverrides);
}

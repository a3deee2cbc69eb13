// Images the manifests run that devenv does not build (postgres, redis, addon images): named by
// the rendered objects' containers (found by the caller with src/kube/pod-spec.ts containerImages,
// since images sits below kube), rewritten by imageOverrides, and loaded from the host's image
// cache so a cluster needs no pulls after the first. Pure.
import { applyOverride } from "../config/overrides.js";
import type { BuiltImage } from "../model/index.js";
import { repositoryOf } from "./refs.js";

/** The third-party refs to load among the container `images`: not built by devenv, after overrides, deduplicated. */
export function thirdPartyRefs(images: readonly string[], built: Iterable<BuiltImage>, overrides: Record<string, string>): string[] {
  const builtRepos = new Set([...built].flatMap((b) => [b.repository, repositoryOf(b.ref)]));
  const refs = images
    .filter((ref) => !builtRepos.has(repositoryOf(ref)))
    .map((ref) => applyOverride(ref, overrides));
  return [...new Set(refs)];
}

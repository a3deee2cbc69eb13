// Which image a reference should run as: a built content tag for images devenv builds, an
// override (mirror / local image) for third-party ones, else the reference itself. Pure.
import { applyOverride } from "../config/overrides.js";
import type { BuiltImage } from "../steps/context.js";

/** Repository part of a reference: `a/b:tag` → `a/b`, `a/b@sha256:..` → `a/b`, `host:5000/a` stays. */
export function repositoryOf(ref: string): string {
  const noDigest = ref.split("@")[0]!;
  const lastSlash = noDigest.lastIndexOf("/");
  const colon = noDigest.lastIndexOf(":");
  return colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
}

export function resolveImageRef(ref: string, built: Map<string, BuiltImage> | BuiltImage[], overrides: Record<string, string>): string {
  const repo = repositoryOf(ref);
  for (const img of built instanceof Map ? built.values() : built) {
    if (img.repository === repo) return img.ref;
  }
  return applyOverride(ref, overrides);
}

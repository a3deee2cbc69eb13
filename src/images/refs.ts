// Which image a reference should run as: a built content tag for images devenv builds, an
// override (mirror / local image) for third-party ones, else the reference itself. Pure.
import { applyOverride } from "../config/overrides.js";
import type { BuiltImage } from "../model/index.js";

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

/** The name of `ref` in a local registry: `acme/api:1` → `localhost:5001/acme/api:1`,
 *  `postgres:16` → `localhost:5001/postgres:16` (any other registry host is replaced). */
export function registryRef(ref: string, registry: string): string {
  const slash = ref.indexOf("/");
  const first = slash < 0 ? "" : ref.slice(0, slash);
  const hasHost = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  let path = hasHost ? ref.slice(slash + 1) : ref;
  if (path.startsWith("library/")) path = path.slice("library/".length);
  return `${registry}/${path}`;
}

/** The reference the cluster should run: like resolveImageRef, but images devenv built are
 *  named by the local registry when the cluster has one (they are pushed there, not imported). */
export function clusterImageRef(ref: string, built: Map<string, BuiltImage> | BuiltImage[], overrides: Record<string, string>, registry?: string): string {
  const resolved = resolveImageRef(ref, built, overrides);
  const isBuilt = [...(built instanceof Map ? built.values() : built)].some((b) => b.ref === resolved);
  return registry && isBuilt ? registryRef(resolved, registry) : resolved;
}

/** The registry host a cluster config implies (`localhost:<port>`), when one is enabled. */
export function configuredRegistry(cluster: { provider: string; registry: { enabled: boolean; port: number } }): string | undefined {
  return cluster.registry.enabled ? `localhost:${cluster.registry.port}` : undefined;
}

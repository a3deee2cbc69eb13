// The compose side of "run exactly what was built": which image each compose service should
// use, so a generated override file can point services at the content tags. Pure.
import { resolve } from "node:path";
import type { ComposeService } from "../compose/model.js";
import type { LoadedEnv } from "../config/load.js";
import type { BuiltImage } from "../steps/context.js";
import { resolveImageRef } from "./refs.js";

/** Where each devenv image is built from (absolute context + dockerfile), to match `build:` services. */
export function buildSources(env: Pick<LoadedEnv, "config" | "root">): Map<string, { context: string; dockerfile: string }> {
  return new Map(Object.entries(env.config.images).map(([name, img]) => [name, { context: resolve(env.root, img.context), dockerfile: img.dockerfile }]));
}

/**
 * service → image for every service whose image changes: a service whose `image:` repository
 * devenv builds, or whose `build:` matches a devenv image's context and Dockerfile, gets the
 * content tag; any other `image:` gets its override. Services left out keep what they have.
 */
export function composeImageRewrites(
  services: Record<string, Pick<ComposeService, "image" | "build">>,
  built: Map<string, BuiltImage> | BuiltImage[],
  overrides: Record<string, string>,
  sources: Map<string, { context: string; dockerfile: string }> = new Map(),
): Record<string, string> {
  const list = built instanceof Map ? [...built.values()] : built;
  const out: Record<string, string> = {};
  for (const [name, svc] of Object.entries(services)) {
    const fromBuild = svc.build ? list.find((b) => sameSource(sources.get(b.name), svc.build!)) : undefined;
    const next = fromBuild ? fromBuild.ref : svc.image ? resolveImageRef(svc.image, list, overrides) : undefined;
    if (next && next !== svc.image) out[name] = next;
  }
  return out;
}

function sameSource(src: { context: string; dockerfile: string } | undefined, build: { context: string; dockerfile: string }): boolean {
  return Boolean(src) && resolve(src!.context) === resolve(build.context) && src!.dockerfile === (build.dockerfile || "Dockerfile");
}

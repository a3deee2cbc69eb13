// Are the images the stack pulls already here? The base images devenv.ts passes as build args
// (`BASE_IMAGE`) and the third-party images compose runs, after imageOverrides: offline, or
// with a registry that rate-limits, a missing one is the first thing `up` trips on.
import { applyOverride } from "../config/overrides.js";
import type { LoadedEnv } from "../config/load.js";
import { docker, pingDocker } from "../docker/client.js";
import type { Check, CheckResult } from "./check.js";

/** The images `up` will pull: build args named like an image, and compose images nothing builds. Pure. */
export function stackPullImages(config: Pick<LoadedEnv["config"], "images" | "imageOverrides">, composeImages: { image?: string; built: boolean }[] = []): string[] {
  const refs = Object.values(config.images).flatMap((img) => Object.entries(img.buildArgs ?? {}).filter(([k, v]) => /IMAGE$/i.test(k) && typeof v === "string" && v !== "").map(([, v]) => v as string));
  for (const s of composeImages) if (s.image && !s.built) refs.push(s.image);
  return [...new Set(refs.map((r) => applyOverride(r, config.imageOverrides)))].sort();
}

/** The verdict over which of them the local image cache lacks. Pure. */
export function imageCacheVerdict(refs: string[], missing: string[]): Omit<CheckResult, "id" | "title"> {
  if (refs.length === 0) return { status: "ok", detail: "the stack pulls no images" };
  if (missing.length === 0) return { status: "ok", detail: `all ${refs.length} in the local image cache` };
  return {
    status: "warn",
    detail: `not in the local image cache: ${missing.join(", ")} (up pulls them: it fails offline or when the registry refuses)`,
    hint: "pull them once while online (`docker pull <image>`), or point them at local or mirrored images with devenv.ts imageOverrides / DEVENV_IMAGE_OVERRIDES=from=to,…",
  };
}

export function imageCacheCheck(refs: string[]): Check {
  return {
    id: "stack-images",
    title: "images the stack pulls",
    run: async () => {
      if (refs.length && !(await pingDocker()).ok) return { status: "warn", detail: "skipped: the daemon is not reachable" };
      const d = refs.length ? await docker() : undefined;
      const missing: string[] = [];
      for (const ref of refs) if (!(await d!.images.inspect(ref).then(() => true, () => false))) missing.push(ref);
      return imageCacheVerdict(refs, missing);
    },
  };
}

// The images the addons run, so the image loader can put them into the nodes from the host
// cache and a cluster pulls nothing (imageOverrides applied).
import { applyOverride } from "../config/overrides.js";
import type { LoadedEnv } from "../config/load.js";
import { containerImages } from "../kube/pod-spec.js";
import { addonObjects, addonOptions } from "./addon-set.js";
import { PROBE_IMAGE } from "./probes.js";

/** Unique image references the environment's addons (and their probes) use. */
export function addonImages(env: Pick<LoadedEnv, "config">, kubernetesVersion?: string): string[] {
  const o = addonOptions(env, kubernetesVersion);
  const refs = containerImages(addonObjects(o));
  if (o.addons.nfs.enabled) refs.push(applyOverride(PROBE_IMAGE, o.overrides));
  return [...new Set(refs)];
}

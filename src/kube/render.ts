// Renders the manifests devenv.ts names (through the one manifest reader, manifests.ts) into
// KubeObjects, with image references rewritten to what devenv built or overrides (pure).
import type { LoadedEnv } from "../config/load.js";
import type { BuiltImage, KubeObject } from "../model/index.js";
import { escapeDollars, isSupervised, podArgv, supervisorEntrypoint, type ProcessSpec } from "../images/process-supervisor.js";
import { repositoryOf, resolveImageRef } from "../images/refs.js";
import { loadManifests } from "./manifests.js";
import { containersOf } from "./pod-spec.js";

/** Rewrites container images to the built content tags or overrides (in place; returns the objects). */
export function rewriteImages(objects: KubeObject[], built: Map<string, BuiltImage>, overrides: Record<string, string>): KubeObject[] {
  for (const o of objects) {
    for (const c of containersOf(o, { init: true })) if (c.image) c.image = resolveImageRef(c.image, built, overrides);
  }
  return objects;
}

/**
 * `imagePullPolicy: Always` on an image devenv puts into the nodes itself (loaded, not pulled):
 * the kubelet would ask a registry for it and fail (ErrImagePull), so for dev it becomes
 * IfNotPresent (in place). `pulled(image)` says which images do come from a registry (kept).
 * Returns one line per container changed.
 */
export function devPullPolicy(objects: KubeObject[], pulled: (image: string) => boolean): string[] {
  const notes: string[] = [];
  for (const o of objects) {
    for (const c of containersOf(o, { init: true })) {
      if (c.imagePullPolicy !== "Always" || !c.image || pulled(c.image)) continue;
      c.imagePullPolicy = "IfNotPresent";
      notes.push(`${o.kind}/${o.metadata.name} container ${c.name}: imagePullPolicy Always → IfNotPresent (${c.image} is loaded into the nodes, not pulled)`);
    }
  }
  return notes;
}

/** The long-running kinds whose containers may run under the process supervisor (never Jobs, CronJobs, init containers). */
const SUPERVISED_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Pod"]);

/**
 * `afterSync: "restart"` in a pod: each container running one of `processes` (by repository:
 * the image's ENTRYPOINT/CMD) runs under the process supervisor, so a sync restarts the process
 * through exec and the synced files stay (in place). Parts taken from the image get `$` escaped
 * (Kubernetes expands `$(VAR)` in command/args, never in an image's CMD). One line per container.
 */
export function devSupervisor(objects: KubeObject[], processes: Map<string, ProcessSpec>): string[] {
  const notes: string[] = [];
  if (processes.size === 0) return notes;
  for (const o of objects) {
    if (!SUPERVISED_KINDS.has(o.kind)) continue;
    for (const c of containersOf(o)) {
      const repo = c.image ? repositoryOf(c.image) : undefined;
      const spec = repo && [...processes].find(([r]) => repo === r || repo.endsWith(`/${r}`))?.[1];
      if (!spec || isSupervised(c.command)) continue;
      const { argv, fromImage } = podArgv(c, spec);
      if (argv.length === 0) continue;
      c.command = supervisorEntrypoint().map(escapeDollars);
      c.args = argv.map((a, i) => (fromImage[i] ? escapeDollars(a) : a));
      notes.push(`${o.kind}/${o.metadata.name} container ${c.name}: runs under devenv's process supervisor (afterSync "restart" restarts the process, not the container)`);
    }
  }
  return notes;
}

/** Renders devenv.ts `manifests` (kustomize or files); [] when none are configured. */
export async function renderManifests(env: LoadedEnv, built: Map<string, BuiltImage>): Promise<KubeObject[]> {
  const m = env.config.manifests;
  if (!m) return [];
  const objects = await loadManifests("kustomize" in m ? [m.kustomize] : m.files, env.root);
  return rewriteImages(objects, built, env.config.imageOverrides);
}

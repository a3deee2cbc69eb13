// Storage classes the manifests' claims name, checked against what will provide them (the nfs
// addon's class, StorageClasses in the manifests, the provider's local class, or the cluster's
// own) before anything is applied: a claim on a class nothing provides stays Pending forever.
import type { KubeObject } from "../model/index.js";
import { DevenvError } from "../errors/devenv-error.js";
import { sourceOf } from "./sources.js";

/** A StorageClass name and what provides it ("the nfs addon (devenv.ts addons.nfs.storageClass)"). */
export interface ProvidedClass {
  name: string;
  by: string;
}

interface Claim {
  what: string;
  storageClass: string;
  accessModes: string[];
  source: KubeObject;
}

type Spec = { spec?: Record<string, any> };

/** Every claim (PVC, StatefulSet volumeClaimTemplate) that names a class; "" (no dynamic provisioning) is left out. */
export function claimedClasses(objects: KubeObject[]): Claim[] {
  const out: Claim[] = [];
  const add = (what: string, spec: Record<string, any> | undefined, source: KubeObject) => {
    const sc = spec?.storageClassName;
    if (typeof sc === "string" && sc !== "") out.push({ what, storageClass: sc, accessModes: spec?.accessModes ?? [], source });
  };
  for (const o of objects) {
    if (o.kind === "PersistentVolumeClaim") add(`PersistentVolumeClaim/${o.metadata.name}`, (o as Spec).spec, o);
    if (o.kind === "StatefulSet") {
      for (const t of ((o as Spec).spec?.volumeClaimTemplates ?? []) as (KubeObject & Spec)[]) add(`StatefulSet/${o.metadata.name} volumeClaimTemplate ${t.metadata?.name}`, t.spec, o);
    }
  }
  return out;
}

/** The StorageClasses the manifests themselves define. */
export function manifestClasses(objects: KubeObject[]): ProvidedClass[] {
  return objects.filter((o) => o.kind === "StorageClass").map((o) => ({ name: o.metadata.name, by: `the manifests (${sourceOf(o) ?? "StorageClass"})` }));
}

/** The error for the first claim on a class nothing in `provided` provides, with the fix; undefined when all are provided. */
export function unprovidedStorageClass(objects: KubeObject[], provided: ProvidedClass[]): DevenvError | undefined {
  const all = [...provided, ...manifestClasses(objects)];
  const names = new Set(all.map((p) => p.name));
  const bad = claimedClasses(objects).filter((c) => !names.has(c.storageClass));
  if (!bad.length) return undefined;
  const first = bad[0]!;
  const list = bad.map((c) => `${c.what} (storageClassName "${c.storageClass}")`).join(", ");
  const known = all.length ? all.map((p) => `"${p.name}" from ${p.by}`).join("; ") : "none";
  const rwx = first.accessModes.includes("ReadWriteMany") ? all.find((p) => /nfs addon/.test(p.by)) : undefined;
  const fix = rwx
    ? `set storageClassName: ${rwx.name} in ${sourceOf(first.source) ?? "the manifest"}, or name the addon's class "${first.storageClass}" in devenv.ts (addons.nfs.storageClass)`
    : `use one of the classes provided (or leave storageClassName out for the cluster's default), or enable devenv.ts addons.nfs with storageClass: "${first.storageClass}" for a ReadWriteMany class`;
  return new DevenvError(`${list}: no StorageClass of that name is provided, so the claim would stay Pending. Provided: ${known}`, { where: sourceOf(first.source), hint: fix });
}

// Server-side apply of objects (field manager `devenv`), namespace first, skipping objects the
// cluster already has as devenv would apply them, and waits that explain failures.
import type { KubeObject } from "../model/index.js";
import { DevenvError } from "../errors/devenv-error.js";
import type { KubeRest } from "./rest.js";
import type { KubeApiError } from "./errors.js";
import { FIELD_MANAGER, describeObject, isUpToDate, prepareObject } from "./ownership.js";
import type { InventoryRef } from "./inventory.js";
import { sourceOf } from "./sources.js";
import { waitForObjects } from "./waits.js";

export interface ApplyOptions {
  /** Field manager; devenv's own objects use "devenv". */
  fieldManager?: string;
  /** Environment name, for the ownership labels. */
  envName: string;
  /** Default namespace for namespaced objects without one. */
  namespace?: string;
}

export interface ApplyResult {
  created: number;
  changed: number;
  unchanged: number;
  /** What was applied (namespace filled in), for the inventory. */
  refs?: InventoryRef[];
}

/** Server-side applies `objects` in the order given. */
export async function applyObjects(rest: KubeRest, objects: KubeObject[], opts: ApplyOptions): Promise<ApplyResult> {
  return applyWith(rest, objects, opts);
}

/** Waits until each object is ready (rollout done, Job complete, PVC bound...), explaining failures. */
export async function waitReady(rest: KubeRest, objects: KubeObject[], timeoutMs: number): Promise<void> {
  await waitForObjects(rest, objects, timeoutMs);
}

const where = (o: KubeObject) => sourceOf(o) ?? "the manifests";

export async function applyWith(rest: KubeRest, objects: KubeObject[], opts: ApplyOptions): Promise<ApplyResult> {
  const result: ApplyResult = { created: 0, changed: 0, unchanged: 0, refs: [] };
  const manager = opts.fieldManager ?? FIELD_MANAGER;
  const ensured = new Set<string>();
  for (const obj of objects) {
    const info = await rest.resource(obj.apiVersion, obj.kind);
    if (!info) throw unknownKind(obj);
    const desired = prepareObject(obj, opts.envName, info.namespaced ? (obj.metadata.namespace ?? opts.namespace ?? "default") : undefined);
    const ns = desired.metadata.namespace;
    if (ns && !ensured.has(ns) && !objects.some((o) => o.kind === "Namespace" && o.metadata.name === ns && objects.indexOf(o) < objects.indexOf(obj))) {
      if (await ensureNamespace(rest, ns, opts.envName, manager)) {
        result.created++;
        result.refs!.push({ apiVersion: "v1", kind: "Namespace", name: ns });
      }
      ensured.add(ns);
    }
    const path = rest.path(desired.apiVersion, info, ns, desired.metadata.name);
    const live = await rest.find<KubeObject>(path);
    result.refs!.push({ apiVersion: desired.apiVersion, kind: desired.kind, namespace: ns, name: desired.metadata.name });
    if (isUpToDate(desired, live)) {
      result.unchanged++;
      continue;
    }
    // A Job's pod template is immutable: a changed Job (e.g. a migration with a rebuilt image) is replaced.
    if (live && desired.kind === "Job") await rest.delete(path, { propagationPolicy: "Background" });
    await patchApply(rest, path, desired, manager, obj);
    if (live) result.changed++;
    else result.created++;
  }
  return result;
}

/** The error for a kind the cluster does not serve, naming the file it came from. */
export function unknownKind(obj: KubeObject): DevenvError {
  return new DevenvError(`unknown kind ${obj.kind} (apiVersion ${obj.apiVersion}) for "${obj.metadata.name}" in ${where(obj)}`, {
    where: sourceOf(obj),
    hint: "the cluster does not serve this kind: fix apiVersion/kind, or add its CustomResourceDefinition to the manifests (CRDs are applied first)",
  });
}

/** Creates namespace `ns` (labelled as devenv's) unless it exists; true when it created it. */
export async function ensureNamespace(rest: KubeRest, ns: string, envName: string, manager = FIELD_MANAGER): Promise<boolean> {
  if (await rest.find(`/api/v1/namespaces/${ns}`)) return false;
  const obj = prepareObject({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } }, envName, undefined);
  await patchApply(rest, `/api/v1/namespaces/${ns}`, obj, manager, obj);
  return true;
}

/** Conflicting managers named in a 409's causes: `conflict with "kubectl" using apps/v1`. */
function conflictManagers(e: KubeApiError): string[] {
  return (e.status.details?.causes ?? []).map((c) => /conflict with "([^"]+)"/.exec(c.message ?? "")?.[1] ?? "?");
}

async function patchApply(rest: KubeRest, path: string, desired: KubeObject, manager: string, source: KubeObject): Promise<void> {
  const send = (force: boolean) => rest.patch(path, desired, "apply", { fieldManager: manager, force });
  try {
    await send(false);
  } catch (err) {
    const e = err as KubeApiError;
    const code = e.status?.code;
    // Forcing is only for fields devenv itself owned under another manager name (e.g. an
    // earlier `devenv-*` manager); somebody else's change is reported, never overwritten.
    if (code === 409 && e.status.reason === "Conflict" && conflictManagers(e).every((m) => m.startsWith(FIELD_MANAGER))) return void (await send(true));
    if (code === 409) {
      throw new DevenvError(`${describeObject(desired)}: ${e.status.message}`, {
        where: sourceOf(source),
        hint: "another tool changed fields devenv applies; remove those fields from the manifest, or undo the change (e.g. delete the object and run `devenv up` again)",
        cause: e,
      });
    }
    if (code === 422 || code === 400) {
      throw new DevenvError(`the API server rejected ${describeObject(desired)} from ${where(source)}: ${e.status.message}`, { where: sourceOf(source), hint: "fix the object in the manifest", cause: e });
    }
    throw e;
  }
}

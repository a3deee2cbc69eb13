// Server-side apply of objects (field manager `devenv`), namespace first, skipping objects the
// cluster already has as devenv would apply them, and waits that explain failures.
import type { KubeObject } from "../model/index.js";
import { DevenvError } from "../errors/devenv-error.js";
import type { KubeRest } from "./rest.js";
import type { KubeApiError } from "./errors.js";
import { FIELD_MANAGER, describeObject, firstDifference, isUpToDate, prepareObject } from "./ownership.js";
import type { InventoryRef } from "./inventory.js";
import { sourceOf, sourceOfField } from "./sources.js";
import { waitForObjects } from "./waits.js";
import { done, notYet, waitFor } from "../wait/wait.js";

export interface ApplyOptions {
  /** Field manager; devenv's own objects use "devenv". */
  fieldManager?: string;
  /** Environment name, for the ownership labels. */
  envName: string;
  /** Default namespace for namespaced objects without one. */
  namespace?: string;
  /**
   * How "already up to date" is decided. `normalise` (default): quantities canonical, set-like
   * lists as sets, every value live; only when that says "changed" is the server asked (a
   * dry-run apply compared with the live object, as `kubectl diff` does). `server`: always ask.
   */
  check?: "normalise" | "server";
  /** Objects (`statefulset/postgres`) to delete with `propagationPolicy=Orphan` (pods and PVCs kept) and apply again. */
  recreate?: string[];
  /**
   * Workloads an HorizontalPodAutoscaler scales (`Deployment/<ns>/<name>`, see `hpaTargets`):
   * once such an object exists its `spec.replicas` is left out of the applied object, so the
   * HPA owns it (creation keeps it). Default: the targets of the HPAs among `objects`.
   */
  hpaTargets?: Set<string>;
}

/** `Kind/<namespace>/<name>` of every workload an HPA among `objects` targets (scaleTargetRef). */
export function hpaTargets(objects: KubeObject[], namespace: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const o of objects) {
    if (o.kind !== "HorizontalPodAutoscaler") continue;
    const ref = (o as Spec).spec?.scaleTargetRef as { kind?: string; name?: string } | undefined;
    if (ref?.kind && ref.name) out.add(`${ref.kind}/${o.metadata.namespace ?? namespace ?? "default"}/${ref.name}`);
  }
  return out;
}

export interface ApplyResult {
  created: number;
  changed: number;
  unchanged: number;
  /** What was applied (namespace filled in), for the inventory. */
  refs?: InventoryRef[];
  /** Lines worth telling the user (a Job re-created, and why). */
  notes?: string[];
  /** Objects the normalised comparison called changed but the server's dry run did not. */
  dryRunUnchanged?: number;
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
  const result: ApplyResult = { created: 0, changed: 0, unchanged: 0, refs: [], notes: [], dryRunUnchanged: 0 };
  const manager = opts.fieldManager ?? FIELD_MANAGER;
  const ensured = new Set<string>();
  const scaled = opts.hpaTargets ?? hpaTargets(objects, opts.namespace);
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
    // An HPA owns the replicas of an existing target (as GitOps tools leave them): applying
    // spec.replicas again would conflict with kube-controller-manager (409) or undo its scaling.
    // The hash annotation still covers the manifest's value, so it stays stable across runs.
    const spec = (desired as Spec).spec;
    const manifestReplicas: unknown = spec?.replicas;
    if (live && spec && scaled.has(`${desired.kind}/${ns ?? "default"}/${desired.metadata.name}`)) delete spec.replicas;
    result.refs!.push({ apiVersion: desired.apiVersion, kind: desired.kind, namespace: ns, name: desired.metadata.name });
    if (opts.check !== "server" && isUpToDate(desired, live)) {
      result.unchanged++;
      continue;
    }
    const recreate = live && opts.recreate?.includes(`${desired.kind.toLowerCase()}/${desired.metadata.name}`);
    if (recreate) {
      // The pods and PersistentVolumeClaims stay; the new object adopts them by its selector.
      await rest.delete(path, { propagationPolicy: "Orphan" });
      await waitFor(`${describeObject(desired)} to be deleted`, async () => ((await rest.find(path)) ? notYet("it still exists") : done()), { timeoutMs: 60_000, intervalMs: 100, maxIntervalMs: 1000 });
      if (spec && manifestReplicas !== undefined) spec.replicas = manifestReplicas;
      await patchApply(rest, path, desired, manager, obj);
      result.notes!.push(`${describeObject(desired)}: re-created (--recreate), its pods and PersistentVolumeClaims kept`);
      result.changed++;
      continue;
    }
    if (live && desired.kind === "StatefulSet") {
      const field = immutableChange(live, desired);
      if (field) throw statefulSetImmutable(desired, field, obj);
    }
    // A Job's pod template is immutable: a Job whose template changed (e.g. a migration with a
    // rebuilt image) is replaced; any other change is applied like any object's.
    const jobChange = live && desired.kind === "Job" ? firstDifference((live as Spec).spec?.template, (desired as Spec).spec?.template, "spec.template") : undefined;
    if (jobChange) {
      result.notes!.push(`${describeObject(desired)}: ${jobChange} changed and a Job's pod template is immutable: deleting and re-creating it`);
      await rest.delete(path, { propagationPolicy: "Background" });
    } else if (live) {
      // What would the server store? Asked with a dry run, compared as `kubectl diff` compares.
      const after = await patchApply(rest, path, desired, manager, obj, true);
      if (sameObject(after, live)) {
        result.unchanged++;
        result.dryRunUnchanged!++;
        continue;
      }
    }
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

type Spec = KubeObject & { spec?: Record<string, any> };

/** The StatefulSet spec fields the API server lets change (pkg/apis/apps/validation ValidateStatefulSetUpdate). */
const STATEFULSET_MUTABLE = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];

/** The first immutable spec field `desired` would change on the live StatefulSet. */
export function immutableChange(live: KubeObject, desired: KubeObject): string | undefined {
  const want = (desired as Spec).spec ?? {};
  const have = (live as Spec).spec ?? {};
  for (const [k, v] of Object.entries(want)) {
    if (STATEFULSET_MUTABLE.includes(k)) continue;
    const d = firstDifference(have[k], v, `spec.${k}`);
    if (d) return d;
  }
  return undefined;
}

function statefulSetImmutable(desired: KubeObject, field: string, source: KubeObject, cause?: unknown): DevenvError {
  const ns = desired.metadata.namespace;
  return new DevenvError(`${describeObject(desired)}: ${field} cannot change on an existing StatefulSet (only ${STATEFULSET_MUTABLE.join(", ")} can)`, {
    where: sourceOf(source),
    hint: `re-create it, keeping its pods' PersistentVolumeClaims and data: \`devenv up --recreate statefulset/${desired.metadata.name}\` (or \`kubectl delete statefulset/${desired.metadata.name}${ns ? ` -n ${ns}` : ""} --cascade=orphan\`, then \`devenv up\`)`,
    cause,
  });
}

/** Same object once what the server keeps for itself (managedFields, versions, status, timestamps) is set aside. */
function sameObject(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { managedFields: _m, resourceVersion: _r, generation: _g, creationTimestamp: _c, uid: _u, ...metadata } = o.metadata as Record<string, unknown>;
    const { status: _s, ...rest } = o as KubeObject & { status?: unknown };
    return sortKeys({ ...rest, metadata });
  };
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

const sortKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(sortKeys) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])])) : v;

/** Field paths an unknown-field answer names: `.spec.replicaz: field not declared in schema`, `unknown field "spec.replicaz"`. */
export function unknownFieldPaths(message: string): string[] {
  const declared = [...message.matchAll(/(\.[^\s:,]+): field not declared in schema/g)].map((m) => m[1]!);
  const strict = [...message.matchAll(/unknown field "([^"]+)"/g)].map((m) => `.${m[1]!}`);
  return [...declared, ...strict];
}

async function patchApply(rest: KubeRest, path: string, desired: KubeObject, manager: string, source: KubeObject, dryRun = false): Promise<KubeObject> {
  const send = (force: boolean) => rest.patch<KubeObject>(path, desired, "apply", { fieldManager: manager, force, dryRun, fieldValidation: "Strict" });
  try {
    return await send(false);
  } catch (err) {
    const e = err as KubeApiError;
    const code = e.status?.code;
    // Forcing is only for fields devenv itself owned under another manager name (e.g. an
    // earlier `devenv-*` manager); somebody else's change is reported, never overwritten.
    if (code === 409 && e.status.reason === "Conflict" && conflictManagers(e).every((m) => m.startsWith(FIELD_MANAGER))) return await send(true);
    if (code === 409) {
      throw new DevenvError(`${describeObject(desired)}: ${e.status.message}`, {
        where: sourceOf(source),
        hint: "another tool changed fields devenv applies; remove those fields from the manifest, or undo the change (e.g. delete the object and run `devenv up` again)",
        cause: e,
      });
    }
    const unknown = code === 400 || code === 422 ? unknownFieldPaths(e.status.message ?? "") : [];
    if (unknown.length) {
      const fields = unknown.map((f) => f.slice(1));
      throw new DevenvError(`${describeObject(desired)} from ${where(source)} sets ${fields.length === 1 ? "a field" : "fields"} the API server does not know: ${fields.join(", ")}`, {
        where: sourceOfField(source, unknown[0]!),
        hint: `a typo or a field of another version? check the spelling (\`kubectl explain ${desired.kind.toLowerCase()}.${fields[0]!.replace(/\[[^\]]*\]/g, "").split(".").slice(0, -1).join(".") || "spec"}\` lists the fields)`,
        cause: e,
      });
    }
    if (code === 422 && desired.kind === "StatefulSet" && /updates to statefulset spec for fields other than/.test(e.status.message ?? "")) {
      throw statefulSetImmutable(desired, "an immutable field of spec", source, e);
    }
    if (code === 422 || code === 400) {
      // A hint the API error already carries (e.g. a claim's spec is immutable) says more than the generic one.
      const hint = (e as { hint?: string }).hint ?? "fix the object in the manifest";
      throw new DevenvError(`the API server rejected ${describeObject(desired)} from ${where(source)}: ${e.status.message}`, { where: sourceOf(source), hint, cause: e });
    }
    throw e;
  }
}

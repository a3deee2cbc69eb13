// What marks an object as devenv's (labels, the applied-configuration hash) and whether a
// live object already matches what devenv would apply. Pure.
import { createHash } from "node:crypto";
import type { KubeObject } from "../model/index.js";
import { canonicalizeQuantities } from "./quantity.js";

export const MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
export const ENV_LABEL = "devenv.dev/env";
export const HASH_ANNOTATION = "devenv.dev/applied-hash";
export const FIELD_MANAGER = "devenv";

/** `Deployment/web` or `Deployment/shop/web`, for messages. */
export function describeObject(o: Pick<KubeObject, "kind" | "metadata">): string {
  return `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isMap(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

/** Secrets are compared and applied as `data`: the server folds `stringData` into it. */
function normalizeSecret(obj: KubeObject): KubeObject {
  if (obj.kind !== "Secret" || !isMap(obj.stringData)) return obj;
  const { stringData, ...rest } = obj;
  const data = { ...((rest.data as Record<string, string>) ?? {}) };
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v)).toString("base64");
  return { ...rest, data } as KubeObject;
}

/** An HPA's metrics in one order, for the hash only: the server keeps them in an order of its own. */
function hashForm(obj: KubeObject): unknown {
  const spec = (obj as { spec?: { metrics?: unknown[] } }).spec;
  if (obj.kind !== "HorizontalPodAutoscaler" || !Array.isArray(spec?.metrics)) return canonical(obj);
  const metrics = spec.metrics.map((m) => JSON.stringify(canonical(m))).sort();
  return canonical({ ...obj, spec: { ...spec, metrics } });
}

/**
 * The object devenv applies: ownership labels, the namespace filled in for namespaced kinds,
 * quantities in the form the server stores them (`1000m` → `1`, `0.5` → `500m`), and a hash
 * of the whole configuration so a later run can tell "nothing to do" cheaply.
 */
export function prepareObject(obj: KubeObject, envName: string, namespace: string | undefined): KubeObject {
  const out = canonicalizeQuantities(normalizeSecret(structuredClone(obj)));
  const md = out.metadata;
  if (namespace) md.namespace = md.namespace ?? namespace;
  else delete md.namespace;
  md.labels = { ...(md.labels ?? {}), [MANAGED_BY_LABEL]: "devenv", [ENV_LABEL]: envName };
  const annotations = { ...(md.annotations ?? {}) };
  delete annotations[HASH_ANNOTATION];
  md.annotations = annotations;
  const hash = createHash("sha256").update(JSON.stringify(hashForm(out))).digest("hex").slice(0, 16);
  md.annotations = { ...annotations, [HASH_ANNOTATION]: hash };
  return out;
}

/**
 * Whether every value `desired` sets is already in `live` (servers add defaults). Lists compare
 * item by item; a list of maps that the server returned in another order (an HPA's metrics)
 * matches when each desired item is contained in a different live item.
 */
export function contains(live: unknown, desired: unknown): boolean {
  if (isMap(desired)) return isMap(live) && Object.entries(desired).every(([k, v]) => contains(live[k], v));
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) return false;
    if (desired.every((d, i) => contains(live[i], d))) return true;
    if (!desired.every(isMap)) return false;
    const free = new Set(live.keys());
    return desired.every((d) => {
      const i = [...free].find((j) => contains(live[j], d));
      return i !== undefined && free.delete(i);
    });
  }
  return live === desired || (typeof desired === "number" && String(desired) === String(live));
}

/**
 * The first field `desired` sets that `live` lacks or holds otherwise, as a path
 * (`spec.template.spec.containers[name=migrate].image`), or undefined when `live` contains it all.
 */
export function firstDifference(live: unknown, desired: unknown, path = ""): string | undefined {
  if (contains(live, desired)) return undefined;
  if (isMap(desired) && isMap(live)) {
    for (const [k, v] of Object.entries(desired)) {
      const d = firstDifference(live[k], v, path ? `${path}.${k}` : k);
      if (d) return d;
    }
  }
  if (Array.isArray(desired) && Array.isArray(live) && live.length === desired.length) {
    for (const [i, v] of desired.entries()) {
      const nameOf = (x: unknown) => (isMap(x) ? (typeof x.name === "string" ? x.name : isMap(x.metadata) && typeof x.metadata.name === "string" ? x.metadata.name : undefined) : undefined);
      const name = nameOf(v);
      const match = name === undefined ? live[i] : live.find((x) => nameOf(x) === name);
      const d = firstDifference(match, v, `${path}[${name === undefined ? i : `name=${name}`}]`);
      if (d) return d;
    }
  }
  return path;
}

/** True when applying `desired` (from prepareObject) would change nothing on `live`. */
export function isUpToDate(desired: KubeObject, live: KubeObject | undefined): boolean {
  if (!live) return false;
  const hash = desired.metadata.annotations?.[HASH_ANNOTATION];
  if (!hash || live.metadata.annotations?.[HASH_ANNOTATION] !== hash) return false;
  const { metadata, ...body } = desired;
  const { annotations, labels, ...meta } = metadata;
  void meta;
  return contains(live, body) && contains(live.metadata.labels ?? {}, labels ?? {}) && contains(live.metadata.annotations ?? {}, annotations ?? {});
}

/** Whether devenv created `live` for this environment (only those are ever pruned). */
export function isOwnedBy(live: Pick<KubeObject, "metadata">, envName: string): boolean {
  return live.metadata.labels?.[MANAGED_BY_LABEL] === "devenv" && live.metadata.labels?.[ENV_LABEL] === envName;
}

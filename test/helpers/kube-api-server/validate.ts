// The validation the real API server does that devenv's tests touch: names, and the
// required fields of workloads and Services. Failures are 422 Invalid with field causes.
import type { ResourceType } from "./resources.js";
import { ApiError, invalid, type FieldError } from "./status.js";
import type { KObj } from "./store.js";

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]);

const required = (field: string): FieldError => ({ field, reason: "FieldValueRequired", message: "Required value" });
const bad = (field: string, value: unknown, why: string): FieldError => ({ field, reason: "FieldValueInvalid", message: `Invalid value: ${JSON.stringify(value)}: ${why}` });

function podSpecErrors(spec: any, at: string): FieldError[] {
  const errs: FieldError[] = [];
  const containers = spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) return [required(`${at}.containers`)];
  containers.forEach((c: any, i: number) => {
    if (!c?.name) errs.push(required(`${at}.containers[${i}].name`));
    else if (!DNS1123_LABEL.test(c.name)) errs.push(bad(`${at}.containers[${i}].name`, c.name, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'"));
    if (!c?.image) errs.push(required(`${at}.containers[${i}].image`));
  });
  return errs;
}

function selectorMatches(selector: any, labels: Record<string, string> | undefined): boolean {
  const ml: Record<string, string> = selector?.matchLabels ?? {};
  return Object.entries(ml).every(([k, v]) => labels?.[k] === v);
}

const canonicalJson = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(canonicalJson) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonicalJson((v as Record<string, unknown>)[k])])) : v;

const UNITS: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
/** A storage quantity in bytes, close enough to order two sizes. */
const bytes = (q: unknown) => {
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(String(q ?? ""));
  return m ? Number(m[1]) * UNITS[m[2] ?? ""]! : NaN;
};

/** Looks up a live object by apiVersion, kind and name (cluster-scoped: no namespace). */
export type Lookup = (apiVersion: string, kind: string, name: string) => KObj | undefined;

/**
 * A PVC's spec is immutable except its storage request, which may only grow, and only when its
 * StorageClass allows expansion. Validation: pkg/apis/core/validation/validation.go
 * ValidatePersistentVolumeClaimUpdate (422); growth: the PersistentVolumeClaimResize admission
 * plugin, plugin/pkg/admission/storage/persistentvolume/resize/admission.go (403).
 */
function validatePvcUpdate(t: ResourceType, live: KObj, next: KObj, lookup: Lookup): void {
  const storage = (o: KObj) => o.spec?.resources?.requests?.storage;
  const rest = (spec: any) => canonicalJson({ ...spec, resources: { ...spec?.resources, requests: { ...spec?.resources?.requests, storage: undefined } }, volumeAttributesClassName: undefined });
  if (JSON.stringify(rest(live.spec)) !== JSON.stringify(rest(next.spec))) {
    throw invalid(t, next.metadata.name, [{ field: "spec", reason: "FieldValueForbidden", message: "Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims" }]);
  }
  const [was, want] = [bytes(storage(live)), bytes(storage(next))];
  if (want < was) throw invalid(t, next.metadata.name, [{ field: "spec.resources.requests.storage", reason: "FieldValueForbidden", message: "Forbidden: field can not be less than status.capacity" }]);
  if (want > was) {
    const sc = next.spec?.storageClassName ? lookup("storage.k8s.io/v1", "StorageClass", next.spec.storageClassName) : undefined;
    if (!sc?.allowVolumeExpansion) {
      throw new ApiError(403, "Forbidden", `persistentvolumeclaims "${next.metadata.name}" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize`, { name: next.metadata.name, kind: "persistentvolumeclaims" });
    }
  }
}

/** Fields the real server refuses to change after create. */
export function validateUpdate(t: ResourceType, live: KObj, next: KObj, lookup: Lookup = () => undefined): void {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  if (t.kind === "PersistentVolumeClaim" && t.group === "") validatePvcUpdate(t, live, next, lookup);
  if (t.kind === "Job" && t.group === "batch" && !same(canonicalJson(live.spec?.template), canonicalJson(next.spec?.template))) {
    throw invalid(t, next.metadata.name, [{ field: "spec.template", reason: "FieldValueInvalid", message: "Invalid value: core.PodTemplateSpec{...}: field is immutable" }]);
  }
  // pkg/apis/apps/validation/validation.go ValidateStatefulSetUpdate: only these spec fields may change.
  if (t.kind === "StatefulSet" && t.group === "apps") {
    const mutable = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"];
    const rest = (spec: any) => Object.fromEntries(Object.entries(spec ?? {}).filter(([k]) => !mutable.includes(k)));
    if (!same(canonicalJson(rest(live.spec)), canonicalJson(rest(next.spec)))) {
      throw invalid(t, next.metadata.name, [
        { field: "spec", reason: "FieldValueForbidden", message: "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden" },
      ]);
    }
  }
  if (t.group === "apps" && ["Deployment", "StatefulSet", "DaemonSet"].includes(t.kind) && live.spec?.selector && !same(live.spec.selector, next.spec?.selector)) {
    throw invalid(t, next.metadata.name, [{ field: "spec.selector", reason: "FieldValueInvalid", message: `Invalid value: v1.LabelSelector{...}: field is immutable` }]);
  }
}

export function validate(t: ResourceType, obj: KObj): void {
  const name = obj.metadata?.name as string | undefined;
  const errs: FieldError[] = [];
  if (!name) errs.push(required("metadata.name"));
  else if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    errs.push(bad("metadata.name", name, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"));
  }
  const spec = obj.spec;
  if (WORKLOADS.has(t.kind) && t.group === "apps") {
    if (!spec?.selector) errs.push(required("spec.selector"));
    else if (!selectorMatches(spec.selector, spec.template?.metadata?.labels)) {
      errs.push(bad("spec.template.metadata.labels", spec.template?.metadata?.labels ?? {}, "`selector` does not match template `labels`"));
    }
    errs.push(...podSpecErrors(spec?.template?.spec, "spec.template.spec"));
  }
  if (t.kind === "Job" && t.group === "batch") {
    errs.push(...podSpecErrors(spec?.template?.spec, "spec.template.spec"));
    const rp = spec?.template?.spec?.restartPolicy;
    if (rp !== "OnFailure" && rp !== "Never") errs.push({ field: "spec.template.spec.restartPolicy", reason: "FieldValueRequired", message: 'Required value: valid values: "OnFailure", "Never"' });
  }
  if (t.kind === "Pod" && t.group === "") errs.push(...podSpecErrors(spec, "spec"));
  if (t.kind === "Service" && t.group === "" && spec?.type !== "ExternalName" && spec?.clusterIP !== "None") {
    const ports = spec?.ports;
    if (!Array.isArray(ports) || ports.length === 0) errs.push(required("spec.ports"));
    else ports.forEach((p: any, i: number) => p?.port === undefined && errs.push(required(`spec.ports[${i}].port`)));
  }
  if (t.kind === "Secret" && t.group === "") {
    for (const [k, v] of Object.entries(obj.data ?? {})) {
      if (typeof v !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(v)) errs.push(bad(`data[${k}]`, "", "must be base64 encoded"));
    }
  }
  if (errs.length) throw invalid(t, name ?? "", errs);
}

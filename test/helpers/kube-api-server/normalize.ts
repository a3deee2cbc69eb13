// What the real API server does to an object between decoding and storing it that changes what
// a client reads back: quantities in canonical form, HPA metrics in the server's order, and
// (with `fieldValidation=Strict`) unknown fields refused. See docs/kube.md, "The test API server".
import { canonicalizeQuantities } from "../../../src/kube/quantity.js";
import type { ResourceType } from "./resources.js";
import { badRequest } from "./status.js";
import type { KObj } from "./store.js";

/**
 * Canonical quantities (k8s.io/apimachinery/pkg/api/resource/quantity.go: a Quantity is
 * re-serialised by CanonicalizeBytes, so `1000m` reads back as `1`), and an HPA's
 * spec.metrics ordered by type and name, as issue 14 saw a 1.26 server return them (the list
 * is atomic for server-side apply, so the order is the server's to keep).
 */
export function normalizeOnWrite(t: ResourceType, obj: KObj): void {
  canonicalizeQuantities(obj);
  if (t.kind === "HorizontalPodAutoscaler" && Array.isArray(obj.spec?.metrics)) {
    const key = (m: any) => `${m?.type ?? ""}/${m?.resource?.name ?? m?.containerResource?.name ?? m?.pods?.metric?.name ?? m?.object?.metric?.name ?? m?.external?.metric?.name ?? ""}`;
    obj.spec.metrics = [...obj.spec.metrics].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
  }
}

/** A known-field schema: `true` accepts anything below; a map names the fields allowed (lists: their items). */
type Schema = true | { [field: string]: Schema };

const any = true as const;
const fields = (names: string, nested: Record<string, Schema> = {}): Schema => Object.fromEntries([...names.split(/\s+/).filter(Boolean).map((n) => [n, any] as const), ...Object.entries(nested)]);

const metadata = fields("name generateName namespace labels annotations uid resourceVersion generation creationTimestamp deletionTimestamp deletionGracePeriodSeconds ownerReferences finalizers managedFields selfLink");
const container = fields(
  "name image command args workingDir ports envFrom env resources resizePolicy restartPolicy volumeMounts volumeDevices livenessProbe readinessProbe startupProbe lifecycle terminationMessagePath terminationMessagePolicy imagePullPolicy securityContext stdin stdinOnce tty",
);
const podSpec = fields(
  "volumes ephemeralContainers restartPolicy terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy nodeSelector serviceAccountName serviceAccount automountServiceAccountToken nodeName hostNetwork hostPID hostIPC shareProcessNamespace securityContext imagePullSecrets hostname subdomain affinity schedulerName tolerations hostAliases priorityClassName priority dnsConfig readinessGates runtimeClassName enableServiceLinks preemptionPolicy overhead topologySpreadConstraints setHostnameAsFQDN os hostUsers schedulingGates resourceClaims resources",
  { containers: container, initContainers: container },
);
const template = fields("", { metadata, spec: podSpec });
const pvcSpec = fields("accessModes selector resources volumeName storageClassName volumeMode dataSource dataSourceRef volumeAttributesClassName");
const top = (spec: Schema, extra = "") => fields(`apiVersion kind status ${extra}`, { metadata, spec });

/** The kinds the stacks use, with the fields the 1.26–1.33 schemas declare for them. */
const SCHEMAS: Record<string, Schema> = {
  "apps/Deployment": top(fields("replicas selector strategy minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds", { template })),
  "apps/StatefulSet": top(
    fields("replicas selector serviceName podManagementPolicy updateStrategy revisionHistoryLimit minReadySeconds persistentVolumeClaimRetentionPolicy ordinals", {
      template,
      volumeClaimTemplates: fields("apiVersion kind status", { metadata, spec: pvcSpec }),
    }),
  ),
  "apps/DaemonSet": top(fields("selector updateStrategy minReadySeconds revisionHistoryLimit", { template })),
  "batch/Job": top(
    fields("parallelism completions activeDeadlineSeconds podFailurePolicy successPolicy backoffLimit backoffLimitPerIndex maxFailedIndexes selector manualSelector ttlSecondsAfterFinished completionMode suspend podReplacementPolicy managedBy", { template }),
  ),
  "/Service": top(
    fields(
      "ports selector clusterIP clusterIPs type externalIPs sessionAffinity loadBalancerIP loadBalancerSourceRanges externalName externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses sessionAffinityConfig ipFamilies ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy trafficDistribution",
    ),
  ),
  "/PersistentVolumeClaim": top(pvcSpec),
  "autoscaling/HorizontalPodAutoscaler": top(fields("scaleTargetRef minReplicas maxReplicas metrics behavior targetCPUUtilizationPercentage")),
  "/ConfigMap": fields("apiVersion kind data binaryData immutable", { metadata }),
  "/Secret": fields("apiVersion kind data stringData type immutable", { metadata }),
};

/** Paths (`.spec.replicaz`) of the fields `obj` sets that its kind's schema does not declare; [] for kinds not modelled. */
export function unknownFields(t: ResourceType, obj: KObj): string[] {
  const schema = SCHEMAS[`${t.group}/${t.kind}`];
  if (!schema) return [];
  const out: string[] = [];
  const walk = (v: unknown, s: Schema, path: string) => {
    if (s === true || v === null || typeof v !== "object") return;
    if (Array.isArray(v)) return v.forEach((item, i) => walk(item, s, `${path}${typeof item?.name === "string" ? `[name="${item.name}"]` : `[${i}]`}`));
    for (const [k, child] of Object.entries(v)) {
      if (!(k in s)) out.push(`${path}.${k}`);
      else walk(child, s[k]!, `${path}.${k}`);
    }
  };
  walk(obj, schema, "");
  return out;
}

/**
 * `fieldValidation=Strict`: an unknown field fails the request with 400 BadRequest. The
 * messages are the real server's: server-side apply's typed conversion
 * (`failed to create typed patch object (...): .spec.replicaz: field not declared in schema`,
 * staging/src/k8s.io/apiserver/pkg/endpoints/handlers/fieldmanager), create/update's strict
 * decoding (`strict decoding error: unknown field "spec.replicaz"`,
 * staging/src/k8s.io/apimachinery/pkg/runtime/serializer/json). Without Strict the field is
 * dropped, as with `fieldValidation=Ignore`.
 */
export function checkFields(t: ResourceType, apiVersion: string, obj: KObj, strict: boolean, verb: "apply" | "create" | "update"): void {
  const unknown = unknownFields(t, obj);
  if (!unknown.length) return;
  if (strict) {
    const name = `${obj.metadata?.namespace ? `${obj.metadata.namespace}/` : ""}${obj.metadata?.name ?? ""}`;
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
    if (verb === "apply") throw badRequest(`failed to create typed patch object (${name}; ${group ? `${group}/` : ""}${version}, Kind=${t.kind}): ${unknown.map((f) => `${f}: field not declared in schema`).join(", ")}`);
    throw badRequest(`${t.kind} in version "${version}" cannot be handled as a ${t.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f.slice(1)}"`).join(", ")}`);
  }
  for (const f of unknown) {
    const parts = f.slice(1).replace(/\[[^\]]*\]/g, "").split(".");
    const drop = (v: unknown, i: number): void => {
      if (Array.isArray(v)) return v.forEach((x) => drop(x, i));
      if (!v || typeof v !== "object") return;
      const rec = v as Record<string, unknown>;
      if (i === parts.length - 1) delete rec[parts[i]!];
      else drop(rec[parts[i]!], i + 1);
    };
    drop(obj, 0);
  }
}

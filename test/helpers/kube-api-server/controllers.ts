// What the real control plane would do after a write, reduced to what devenv's waits read:
// defaults, generation, CRD registration, a pod per replica (Pending until a test hook moves
// it), and garbage collection of owned objects and namespace contents.
import { randomBytes, randomUUID } from "node:crypto";
import type { ResourceRegistry, ResourceType } from "./resources.js";
import { deepEqual } from "./fields.js";
import type { KObj, Store } from "./store.js";

const POD_OWNERS = new Set(["apps/Deployment", "apps/StatefulSet", "apps/DaemonSet", "batch/Job"]);

/**
 * Fills the defaults and generation the real server sets on create and update: the ones that
 * change what devenv reads back (pkg/apis/core/v1/defaults.go, pkg/apis/apps/v1/defaults.go,
 * pkg/apis/batch/v1/defaults.go; the Job's generated selector and template labels come from
 * pkg/registry/batch/job/strategy.go generateSelector).
 */
export function applyDefaults(t: ResourceType, obj: KObj, live: KObj | undefined): void {
  const m = obj.metadata;
  const generational = t.kind !== "Namespace" && t.kind !== "Event";
  if (live) {
    m.uid = live.metadata.uid;
    m.creationTimestamp = live.metadata.creationTimestamp;
    if (live.metadata.deletionTimestamp) m.deletionTimestamp = live.metadata.deletionTimestamp;
    if (generational) m.generation = (live.metadata.generation ?? 1) + (deepEqual(live.spec, obj.spec) ? 0 : 1);
  } else if (generational) m.generation = 1;
  if (t.group === "apps" && (t.kind === "Deployment" || t.kind === "StatefulSet")) obj.spec.replicas ??= 1;
  if (t.kind === "Job") {
    obj.spec.backoffLimit ??= 6;
    obj.spec.completions ??= 1;
    obj.spec.parallelism ??= 1;
    obj.spec.completionMode ??= "NonIndexed";
    obj.spec.suspend ??= false;
    if (!obj.spec.manualSelector) {
      const uid = live?.metadata.uid ?? m.uid ?? (m.uid = randomUUID());
      const generated = { "batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": m.name, "controller-uid": uid, "job-name": m.name };
      obj.spec.selector ??= live?.spec?.selector ?? { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
      if (obj.spec.template) obj.spec.template.metadata = { ...(obj.spec.template.metadata ?? {}), labels: { ...(obj.spec.template.metadata?.labels ?? {}), ...generated } };
    }
  }
  if (t.kind === "StatefulSet" && t.group === "apps") {
    obj.spec.podManagementPolicy ??= "OrderedReady";
    obj.spec.updateStrategy ??= { type: "RollingUpdate", rollingUpdate: { partition: 0 } };
    obj.spec.revisionHistoryLimit ??= 10;
    obj.spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: "Retain", whenScaled: "Retain" };
    for (const vct of obj.spec.volumeClaimTemplates ?? []) {
      vct.apiVersion ??= "v1";
      vct.kind ??= "PersistentVolumeClaim";
      vct.spec ??= {};
      vct.spec.volumeMode ??= "Filesystem";
      vct.status ??= { phase: "Pending" };
    }
  }
  if (t.kind === "Deployment" && t.group === "apps") {
    obj.spec.strategy ??= { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } };
    obj.spec.revisionHistoryLimit ??= 10;
    obj.spec.progressDeadlineSeconds ??= 600;
  }
  if (t.kind === "PersistentVolumeClaim" && t.group === "") {
    obj.spec ??= {};
    obj.spec.volumeMode ??= "Filesystem";
  }
  for (const ps of podSpecs(t, obj)) {
    for (const c of [...(ps.initContainers ?? []), ...(ps.containers ?? [])]) {
      for (const p of c.ports ?? []) p.protocol ??= "TCP";
      c.imagePullPolicy ??= String(c.image ?? "").endsWith(":latest") || !String(c.image ?? "").includes(":") ? "Always" : "IfNotPresent";
      c.terminationMessagePath ??= "/dev/termination-log";
      c.terminationMessagePolicy ??= "File";
    }
    ps.restartPolicy ??= "Always";
    ps.dnsPolicy ??= "ClusterFirst";
    ps.schedulerName ??= "default-scheduler";
    ps.terminationGracePeriodSeconds ??= 30;
    ps.securityContext ??= {};
  }
  if (t.kind === "Service" && t.group === "") {
    obj.spec ??= {};
    obj.spec.type ??= "ClusterIP";
    for (const p of obj.spec.ports ?? []) {
      p.protocol ??= "TCP";
      p.targetPort ??= p.port;
    }
    if (obj.spec.type !== "ExternalName") obj.spec.clusterIP ??= live?.spec?.clusterIP ?? `10.96.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0]! % 250)}`;
  }
  if (t.kind === "Namespace" && t.group === "") obj.status = live?.status?.phase === "Terminating" ? live.status : { phase: "Active" };
  if (t.kind === "PersistentVolumeClaim" && t.group === "") obj.status ??= live?.status ?? { phase: "Pending" };
  if (t.kind === "CustomResourceDefinition") {
    obj.status = {
      conditions: [
        { type: "NamesAccepted", status: "True", reason: "NoConflicts", message: "no conflicts found" },
        { type: "Established", status: "True", reason: "InitialNamesAccepted", message: "the initial names have been accepted" },
      ],
      acceptedNames: obj.spec?.names ?? {},
      storedVersions: (obj.spec?.versions ?? []).filter((v: any) => v.storage).map((v: any) => v.name),
    };
  }
}

/** Pod specs inside an object (Pod, workload templates, CronJob templates), for defaulting. */
function podSpecs(t: ResourceType, obj: KObj): Record<string, any>[] {
  if (t.kind === "Pod" && t.group === "") return obj.spec ? [obj.spec] : [];
  if (t.kind === "CronJob") return obj.spec?.jobTemplate?.spec?.template?.spec ? [obj.spec.jobTemplate.spec.template.spec] : [];
  return ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(t.kind) && obj.spec?.template?.spec ? [obj.spec.template.spec] : [];
}

export class Controllers {
  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
  ) {}

  type(apiVersion: string, kind: string): ResourceType {
    return this.registry.byKind(apiVersion, kind)!;
  }

  /** Runs after every successful create/update. */
  afterWrite(t: ResourceType, obj: KObj): void {
    if (t.kind === "CustomResourceDefinition") this.registry.registerCrd(obj);
    if (POD_OWNERS.has(`${t.group}/${t.kind}`)) this.ensurePods(t, obj);
  }

  /** Runs after a delete: owned objects go too, and a namespace takes its contents with it. */
  afterDelete(t: ResourceType, obj: KObj): void {
    if (t.kind === "Namespace" && t.group === "") {
      for (const rt of this.registry.all().filter((r) => r.namespaced)) {
        for (const o of this.store.list(rt, obj.metadata.name)) this.store.remove(rt, o.metadata.namespace, o.metadata.name);
      }
      return;
    }
    const pods = this.type("v1", "Pod");
    for (const p of this.store.list(pods, obj.metadata.namespace)) {
      if ((p.metadata.ownerReferences ?? []).some((r: any) => r.uid === obj.metadata.uid)) {
        this.store.remove(pods, p.metadata.namespace, p.metadata.name);
      }
    }
  }

  /** `propagationPolicy=Orphan`: the garbage collector removes the owner reference from the dependents and leaves them (pkg/controller/garbagecollector). */
  orphan(owner: KObj): void {
    const pods = this.type("v1", "Pod");
    for (const p of this.podsOf(owner)) {
      const refs = (p.metadata.ownerReferences ?? []).filter((r: any) => r.uid !== owner.metadata.uid);
      this.store.save(pods, { ...p, metadata: { ...p.metadata, ownerReferences: refs.length ? refs : undefined } });
    }
  }

  /** The pods a workload owns. */
  podsOf(owner: KObj): KObj[] {
    return this.store.list(this.type("v1", "Pod"), owner.metadata.namespace).filter((p) => (p.metadata.ownerReferences ?? []).some((r: any) => r.uid === owner.metadata.uid));
  }

  private ensurePods(t: ResourceType, owner: KObj): void {
    const want = t.kind === "DaemonSet" || t.kind === "Job" ? 1 : (owner.spec?.replicas ?? 1);
    const pods = this.type("v1", "Pod");
    // Orphans matching the selector are adopted, as controllers claim them (pkg/controller/controller_ref_manager.go).
    const matchLabels: Record<string, string> = owner.spec?.selector?.matchLabels ?? {};
    if (t.kind !== "Job" && Object.keys(matchLabels).length) {
      for (const p of this.store.list(pods, owner.metadata.namespace)) {
        if ((p.metadata.ownerReferences ?? []).some((r: any) => r.controller)) continue;
        if (!Object.entries(matchLabels).every(([k, v]) => p.metadata.labels?.[k] === v)) continue;
        this.store.save(pods, { ...p, metadata: { ...p.metadata, ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }] } });
      }
    }
    const have = this.podsOf(owner);
    for (let i = have.length; i < want; i++) {
      const name = t.kind === "StatefulSet" ? `${owner.metadata.name}-${i}` : `${owner.metadata.name}-${randomBytes(3).toString("hex").slice(0, 5)}`;
      const template = owner.spec?.template ?? {};
      this.store.save(pods, {
        apiVersion: "v1",
        kind: "Pod",
        metadata: {
          name,
          namespace: owner.metadata.namespace,
          // The Job controller labels its pods with the job's name and uid.
          labels: { ...(template.metadata?.labels ?? {}), ...(t.kind === "Job" ? { "batch.kubernetes.io/job-name": owner.metadata.name, "job-name": owner.metadata.name, "batch.kubernetes.io/controller-uid": owner.metadata.uid, "controller-uid": owner.metadata.uid } : {}) },
          ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: template.spec ?? {},
        status: { phase: "Pending", conditions: [] },
      });
    }
  }
}

// The Kubernetes workloads compare-compose looks at, with their pod template pulled out:
// Deployment, StatefulSet, DaemonSet, Job, CronJob and bare Pods. Pure.
import type { KubeObject } from "../model/index.js";
import { podTemplateOf, type Container, type Volume } from "../kube/pod-spec.js";

export interface Workload {
  kind: string;
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  podLabels: Record<string, string>;
  replicas?: number;
  containers: Container[];
  initContainers: Container[];
  volumes: Volume[];
  /** StatefulSet volumeClaimTemplates, by template name. */
  claimTemplates: KubeObject[];
  object: KubeObject;
}

export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"];

/** Workloads among `objects`, in manifest order. */
export function workloadsOf(objects: KubeObject[]): Workload[] {
  return objects.filter((o) => WORKLOAD_KINDS.includes(o.kind)).map(toWorkload);
}

function toWorkload(o: KubeObject): Workload {
  const spec = (o.spec ?? {}) as Record<string, any>;
  const template = podTemplateOf(o);
  const pod = template?.spec;
  return {
    kind: o.kind,
    name: o.metadata.name,
    namespace: o.metadata.namespace,
    labels: o.metadata.labels ?? {},
    podLabels: template?.metadata?.labels ?? {},
    replicas: ["Deployment", "StatefulSet"].includes(o.kind) ? (typeof spec.replicas === "number" ? spec.replicas : 1) : undefined,
    containers: pod?.containers ?? [],
    initContainers: pod?.initContainers ?? [],
    volumes: pod?.volumes ?? [],
    claimTemplates: spec.volumeClaimTemplates ?? [],
    object: o,
  };
}

/** Objects of one kind by name (ConfigMaps, Secrets, PVCs...). */
export function byName(objects: KubeObject[], kind: string): Map<string, KubeObject> {
  return new Map(objects.filter((o) => o.kind === kind).map((o) => [o.metadata.name, o]));
}

/** Whether a Service's selector selects the pod labels. */
export function selects(service: KubeObject, podLabels: Record<string, string>): boolean {
  const sel = ((service.spec as Record<string, any> | undefined)?.selector ?? {}) as Record<string, string>;
  const keys = Object.keys(sel);
  return keys.length > 0 && keys.every((k) => podLabels[k] === sel[k]);
}

// The Kubernetes workloads compare-compose looks at, with their pod template pulled out:
// Deployment, StatefulSet, DaemonSet, Job, CronJob and bare Pods. Pure.
import type { KubeObject } from "../model/index.js";

export interface KContainer {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: Record<string, any> }[];
  envFrom?: { prefix?: string; configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
  readinessProbe?: KProbe;
  livenessProbe?: KProbe;
  startupProbe?: KProbe;
  resources?: { limits?: Record<string, string | number>; requests?: Record<string, string | number> };
}

export interface KProbe {
  httpGet?: { path?: string; port: number | string };
  tcpSocket?: { port: number | string };
  exec?: { command?: string[] };
  grpc?: { port: number };
  periodSeconds?: number;
}

export interface Workload {
  kind: string;
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  podLabels: Record<string, string>;
  replicas?: number;
  containers: KContainer[];
  initContainers: KContainer[];
  volumes: { name: string; persistentVolumeClaim?: { claimName: string }; emptyDir?: unknown; hostPath?: { path: string }; configMap?: unknown; secret?: unknown }[];
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
  const template = o.kind === "Pod" ? { metadata: o.metadata, spec } : o.kind === "CronJob" ? spec.jobTemplate?.spec?.template : spec.template;
  const pod = (template?.spec ?? {}) as Record<string, any>;
  return {
    kind: o.kind,
    name: o.metadata.name,
    namespace: o.metadata.namespace,
    labels: o.metadata.labels ?? {},
    podLabels: template?.metadata?.labels ?? {},
    replicas: ["Deployment", "StatefulSet"].includes(o.kind) ? (typeof spec.replicas === "number" ? spec.replicas : 1) : undefined,
    containers: pod.containers ?? [],
    initContainers: pod.initContainers ?? [],
    volumes: pod.volumes ?? [],
    claimTemplates: spec.volumeClaimTemplates ?? [],
    object: o,
  };
}

/** The container that plays the compose service: the one named like it, else the first. */
export function mainContainer(w: Workload, hint: string): KContainer | undefined {
  return w.containers.find((c) => c.name === hint) ?? w.containers.find((c) => c.name === w.name) ?? w.containers[0];
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

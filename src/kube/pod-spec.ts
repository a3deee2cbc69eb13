// The one pod-template walker: where the pod spec of an object is (a Pod's own spec, a
// workload's spec.template, a CronJob's spec.jobTemplate.spec.template) and its containers,
// typed with client-node's model types (types only: nothing of client-node is loaded). Pure.
import type { V1Container, V1EnvVarSource, V1PodSpec, V1PodTemplateSpec, V1Probe, V1Volume } from "@kubernetes/client-node";
import type { KubeObject } from "../model/index.js";

export type PodSpec = V1PodSpec;
export type PodTemplate = V1PodTemplateSpec;
export type Container = V1Container;
export type Probe = V1Probe;
export type Volume = V1Volume;
export type EnvVarSource = V1EnvVarSource;

/** Anything with a kind and a spec; a KubeObject, a live object from a list, a pod. */
type WithSpec = Pick<KubeObject, "kind"> & { metadata?: KubeObject["metadata"]; spec?: unknown; template?: unknown };

interface TemplateHolder {
  template?: PodTemplate;
  jobTemplate?: { spec?: { template?: PodTemplate } };
}

/**
 * The pod template of an object: for a Pod its own metadata and spec; CronJob
 * spec.jobTemplate.spec.template; PodTemplate its template; otherwise spec.template
 * (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, ReplicationController, and custom
 * resources of that shape). Undefined when the object has none. The object's own parts, not copies.
 */
export function podTemplateOf(obj: WithSpec): PodTemplate | undefined {
  if (obj.kind === "Pod") return { metadata: obj.metadata as PodTemplate["metadata"], spec: obj.spec as PodSpec | undefined };
  if (obj.kind === "PodTemplate") return obj.template as PodTemplate | undefined;
  const spec = obj.spec as TemplateHolder | undefined;
  const template = obj.kind === "CronJob" ? spec?.jobTemplate?.spec?.template : spec?.template;
  return template;
}

/** The pod spec of an object (see podTemplateOf), or undefined. Mutating it changes the object. */
export function podSpecOf(obj: WithSpec): PodSpec | undefined {
  if (obj.kind === "Pod") return obj.spec as PodSpec | undefined;
  return podTemplateOf(obj)?.spec;
}

export interface ContainersOptions {
  /** Init containers too, first (the order they run in). */
  init?: boolean;
  /** Ephemeral (debug) containers too, last. */
  ephemeral?: boolean;
}

/** The containers of an object's pod spec: `containers`, with `init` the initContainers before them. [] without a pod spec. */
export function containersOf(obj: WithSpec, o: ContainersOptions = {}): Container[] {
  const spec = podSpecOf(obj);
  if (!spec) return [];
  return [...(o.init ? (spec.initContainers ?? []) : []), ...(spec.containers ?? []), ...(o.ephemeral ? ((spec.ephemeralContainers ?? []) as Container[]) : [])];
}

/** Every container image the objects run (init and ephemeral containers included), in order, each once. */
export function containerImages(objects: readonly WithSpec[]): string[] {
  const found = new Set<string>();
  for (const o of objects) for (const c of containersOf(o, { init: true, ephemeral: true })) if (typeof c.image === "string") found.add(c.image);
  return [...found];
}

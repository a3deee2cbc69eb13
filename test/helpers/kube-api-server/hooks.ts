// Test hooks: drive what a kubelet or controller would report. A target is a pod name or a
// workload reference such as `deployment/api` (meaning all of its pods).
import { EventEmitter } from "node:events";
import type { ResourceRegistry, ResourceType } from "./resources.js";
import type { Controllers } from "./controllers.js";
import type { KObj, Store } from "./store.js";

const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");
const WORKLOAD_KINDS: Record<string, [string, string]> = {
  deployment: ["apps/v1", "Deployment"],
  statefulset: ["apps/v1", "StatefulSet"],
  daemonset: ["apps/v1", "DaemonSet"],
  job: ["batch/v1", "Job"],
};

export class Hooks {
  /** Pod logs by `namespace/pod`; `logAppended` fires `(key, line)` for followers. */
  readonly logs = new Map<string, string[]>();
  readonly logAppended = new EventEmitter();

  constructor(
    readonly store: Store,
    readonly registry: ResourceRegistry,
    protected readonly controllers: Controllers,
  ) {
    this.logAppended.setMaxListeners(0);
  }

  private t(apiVersion: string, kind: string): ResourceType {
    return this.registry.byKind(apiVersion, kind)!;
  }

  private mustGet(apiVersion: string, kind: string, ns: string, name: string): KObj {
    const o = this.store.get(this.t(apiVersion, kind), ns, name);
    if (!o) throw new Error(`test API server: ${kind} ${ns}/${name} does not exist`);
    return o;
  }

  private updateStatus(apiVersion: string, kind: string, obj: KObj, status: Record<string, unknown>): void {
    obj.status = status;
    this.store.save(this.t(apiVersion, kind), obj);
  }

  /** Pods named by `target`: a pod name, or `kind/name` of a workload. */
  pods(ns: string, target: string): KObj[] {
    const [kind, name] = target.includes("/") ? (target.split("/") as [string, string]) : [undefined, target];
    if (!kind) return [this.mustGet("v1", "Pod", ns, name)];
    const [apiVersion, k] = WORKLOAD_KINDS[kind.toLowerCase()] ?? [];
    if (!apiVersion) throw new Error(`test API server: ${kind} has no pods`);
    return this.controllers.podsOf(this.mustGet(apiVersion, k!, ns, name));
  }

  private setPod(pod: KObj, status: Record<string, unknown>): void {
    this.updateStatus("v1", "Pod", pod, { ...status, startTime: pod.status?.startTime ?? now() });
  }

  private readyPod(pod: KObj): void {
    const containers = (pod.spec?.containers ?? []) as { name: string; image: string }[];
    this.setPod(pod, {
      phase: "Running",
      conditions: ["PodScheduled", "Initialized", "ContainersReady", "Ready"].map((type) => ({ type, status: "True", lastTransitionTime: now() })),
      containerStatuses: containers.map((c) => ({ name: c.name, image: c.image, ready: true, started: true, restartCount: 0, state: { running: { startedAt: now() } } })),
    });
  }

  /** Deployment Available: status counts match spec.replicas, pods Running and Ready. */
  setDeploymentAvailable(ns: string, name: string): void {
    const d = this.mustGet("apps/v1", "Deployment", ns, name);
    this.controllers.podsOf(d).forEach((p) => this.readyPod(p));
    const n = d.spec?.replicas ?? 1;
    this.updateStatus("apps/v1", "Deployment", d, {
      observedGeneration: d.metadata.generation,
      replicas: n,
      updatedReplicas: n,
      readyReplicas: n,
      availableReplicas: n,
      conditions: [
        { type: "Available", status: "True", reason: "MinimumReplicasAvailable", message: "Deployment has minimum availability.", lastTransitionTime: now() },
        { type: "Progressing", status: "True", reason: "NewReplicaSetAvailable", message: `ReplicaSet "${name}" has successfully progressed.`, lastTransitionTime: now() },
      ],
    });
  }

  /** StatefulSet or DaemonSet ready: every replica ready and current. */
  setWorkloadReady(ns: string, target: string): void {
    const [kind, name] = target.split("/") as [string, string];
    if (kind.toLowerCase() === "deployment") return this.setDeploymentAvailable(ns, name);
    const [apiVersion, k] = WORKLOAD_KINDS[kind.toLowerCase()]!;
    const w = this.mustGet(apiVersion, k, ns, name);
    this.controllers.podsOf(w).forEach((p) => this.readyPod(p));
    const n = w.spec?.replicas ?? 1;
    const status =
      k === "DaemonSet"
        ? { observedGeneration: w.metadata.generation, desiredNumberScheduled: 1, currentNumberScheduled: 1, numberReady: 1, numberAvailable: 1, updatedNumberScheduled: 1 }
        : { observedGeneration: w.metadata.generation, replicas: n, readyReplicas: n, currentReplicas: n, updatedReplicas: n, availableReplicas: n, currentRevision: `${name}-1`, updateRevision: `${name}-1` };
    this.updateStatus(apiVersion, k, w, status);
  }

  completeJob(ns: string, name: string): void {
    const j = this.mustGet("batch/v1", "Job", ns, name);
    for (const p of this.controllers.podsOf(j)) this.setPod(p, { phase: "Succeeded" });
    this.updateStatus("batch/v1", "Job", j, {
      startTime: now(),
      completionTime: now(),
      succeeded: 1,
      conditions: [
        { type: "SuccessCriteriaMet", status: "True", lastTransitionTime: now() },
        { type: "Complete", status: "True", lastTransitionTime: now() },
      ],
    });
  }

  failJob(ns: string, name: string, message = "Job has reached the specified backoff limit"): void {
    const j = this.mustGet("batch/v1", "Job", ns, name);
    for (const p of this.controllers.podsOf(j)) this.setPod(p, { phase: "Failed" });
    this.updateStatus("batch/v1", "Job", j, {
      startTime: now(),
      failed: 1,
      conditions: [
        { type: "FailureTarget", status: "True", reason: "BackoffLimitExceeded", message, lastTransitionTime: now() },
        { type: "Failed", status: "True", reason: "BackoffLimitExceeded", message, lastTransitionTime: now() },
      ],
    });
  }

  /** The first container restarts over and over; `lastLogLines` are what `logs --previous` shows. */
  crashLoop(ns: string, target: string, lastLogLines: string[] = []): void {
    for (const p of this.pods(ns, target)) {
      const c = p.spec.containers[0];
      this.logs.set(`${ns}/${p.metadata.name}`, [...lastLogLines]);
      this.setPod(p, {
        phase: "Running",
        conditions: [{ type: "Ready", status: "False", reason: "ContainersNotReady", message: `containers with unready status: [${c.name}]` }],
        containerStatuses: [
          {
            name: c.name,
            image: c.image,
            ready: false,
            restartCount: 5,
            state: { waiting: { reason: "CrashLoopBackOff", message: `back-off 2m40s restarting failed container=${c.name} pod=${p.metadata.name}` } },
            lastState: { terminated: { exitCode: 1, reason: "Error", startedAt: now(), finishedAt: now() } },
          },
        ],
      });
    }
  }

  /** The image cannot be pulled (as on a cluster the image was never loaded into). */
  imagePullBackOff(ns: string, target: string): void {
    for (const p of this.pods(ns, target)) {
      const c = p.spec.containers[0];
      this.setPod(p, {
        phase: "Pending",
        conditions: [{ type: "PodScheduled", status: "True" }, { type: "Ready", status: "False", reason: "ContainersNotReady" }],
        containerStatuses: [{ name: c.name, image: c.image, ready: false, restartCount: 0, state: { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${c.image}"` } } }],
      });
    }
  }

  /** The pod cannot be scheduled because its PVC is unbound; the scheduler records an Event. */
  pendingUnboundPvc(ns: string, target: string): void {
    for (const p of this.pods(ns, target)) {
      const message = "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
      this.setPod(p, { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message, lastTransitionTime: now() }] });
      this.recordEvent(p, "Warning", "FailedScheduling", message, "default-scheduler");
    }
  }

  /** An Event about `obj`, as a controller would record it. */
  recordEvent(obj: KObj, type: "Normal" | "Warning", reason: string, message: string, component: string): void {
    const ns = obj.metadata.namespace ?? "default";
    this.store.save(this.t("v1", "Event"), {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: `${obj.metadata.name}.${Date.now().toString(16)}${Math.random().toString(16).slice(2, 6)}`, namespace: ns },
      involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, namespace: ns, uid: obj.metadata.uid },
      reason,
      message,
      type,
      source: { component },
      reportingComponent: component,
      firstTimestamp: now(),
      lastTimestamp: now(),
      count: 1,
    });
  }

  /** Adds log lines to a pod (followers receive them). */
  appendPodLog(ns: string, pod: string, ...lines: string[]): void {
    const key = `${ns}/${pod}`;
    const have = this.logs.get(key) ?? [];
    this.logs.set(key, have);
    for (const l of lines) {
      have.push(l);
      this.logAppended.emit("line", key, l);
    }
  }
}

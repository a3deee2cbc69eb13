import { describe, expect, it } from "vitest";
import { formatProblem, podProblem, readiness, runsCurrentTemplate } from "../../../src/kube/readiness.js";

const meta = (generation = 1) => ({ name: "x", namespace: "n", generation });

describe("readiness", () => {
  it("Deployment: ready only when current, updated and available", () => {
    const d = { apiVersion: "apps/v1", kind: "Deployment", metadata: meta(2), spec: { replicas: 2 } } as any;
    expect(readiness(d)).toEqual({ state: "pending", progress: "0/2 available" });
    d.status = { observedGeneration: 1, updatedReplicas: 2, availableReplicas: 2, conditions: [{ type: "Available", status: "True" }] };
    expect(readiness(d).state).toBe("pending");
    d.status.observedGeneration = 2;
    expect(readiness(d).state).toBe("ready");
    d.status.conditions.push({ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: 'ReplicaSet "x-1" has timed out progressing.' });
    expect(readiness(d)).toEqual({ state: "failed", reason: 'ReplicaSet "x-1" has timed out progressing.' });
  });
  it("Job: complete or failed with its message", () => {
    const j = { apiVersion: "batch/v1", kind: "Job", metadata: meta(), status: { conditions: [{ type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "too many" }] } } as any;
    expect(readiness(j)).toEqual({ state: "failed", reason: "BackoffLimitExceeded: too many" });
    j.status.conditions = [{ type: "Complete", status: "True" }];
    expect(readiness(j).state).toBe("ready");
  });
  it("StatefulSet, DaemonSet, Pod, and kinds with nothing to wait for", () => {
    expect(readiness({ kind: "StatefulSet", metadata: meta(), spec: { replicas: 1 }, status: { observedGeneration: 1, readyReplicas: 1 } } as any).state).toBe("ready");
    expect(readiness({ kind: "DaemonSet", metadata: meta(), status: { observedGeneration: 1, desiredNumberScheduled: 2, numberReady: 1 } } as any)).toEqual({ state: "pending", progress: "1/2 ready" });
    expect(readiness({ kind: "Pod", metadata: meta(), status: { phase: "Succeeded" } } as any).state).toBe("ready");
    expect(readiness({ kind: "ConfigMap", metadata: meta() } as any).state).toBe("ready");
  });
});

describe("podProblem", () => {
  const pod = (status: any) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "web-1" }, status }) as any;
  it("image pull errors and crash loops are fatal", () => {
    expect(podProblem(pod({ phase: "Pending", containerStatuses: [{ name: "web", image: "a:1", state: { waiting: { reason: "ErrImageNeverPull" } } }] }))).toMatchObject({ fatal: true, summary: 'pod web-1: cannot pull image "a:1" (ErrImageNeverPull)' });
    const crash = podProblem(pod({ phase: "Running", containerStatuses: [{ name: "web", restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } }, lastState: { terminated: { exitCode: 137 } } }] }));
    expect(crash).toMatchObject({ fatal: true, wantsLogs: { container: "web", previous: true } });
    expect(crash?.summary).toBe("pod web-1: container web keeps crashing (CrashLoopBackOff, exit code 137, 3 restarts)");
  });
  it("an unschedulable pod is not fatal and wants its events", () => {
    const p = podProblem(pod({ phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", message: "0/1 nodes are available" }] }))!;
    expect(p).toMatchObject({ fatal: false, wantsEvents: true });
    expect(formatProblem(p, [], [{ type: "Warning", reason: "FailedScheduling", message: "unbound PVC" }])).toBe("pod web-1 is Pending: not scheduled (0/1 nodes are available)\n  event FailedScheduling: unbound PVC");
  });
  it("a running, ready pod has no problem", () => {
    expect(podProblem(pod({ phase: "Running", containerStatuses: [{ name: "web", state: { running: {} } }] }))).toBeUndefined();
  });
});

describe("runsCurrentTemplate", () => {
  const workload = { kind: "Deployment", metadata: { name: "api" }, spec: { template: { spec: { containers: [{ name: "api", image: "api:2", env: [{ name: "A", value: "1" }] }] } } } } as any;
  it("tells an old pod (previous image or env) from a current one", () => {
    expect(runsCurrentTemplate({ metadata: { name: "p" }, spec: { containers: [{ name: "api", image: "api:2", env: [{ name: "A", value: "1" }], imagePullPolicy: "IfNotPresent" }] } } as any, workload)).toBe(true);
    expect(runsCurrentTemplate({ metadata: { name: "p" }, spec: { containers: [{ name: "api", image: "api:1", env: [{ name: "A", value: "1" }] }] } } as any, workload)).toBe(false);
  });
});

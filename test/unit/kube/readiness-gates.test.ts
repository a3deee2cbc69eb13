// What `up` waits for: a wave is done only when its workloads really are. Each case is a state
// a real cluster passes through while a rollout or a Job is still under way.
import { describe, expect, it } from "vitest";
import { readiness } from "../../../src/kube/readiness.js";

const obj = (kind: string, spec: any, status: any, generation = 1) => ({ apiVersion: "v1", kind, metadata: { name: "x", namespace: "n", generation }, spec, status }) as any;
const available = { type: "Available", status: "True" };

describe("a Job is complete only when Kubernetes says so", () => {
  it("a running migration Job is still pending, so seeding waits for it", () => {
    expect(readiness(obj("Job", { completions: 1 }, { active: 1 }))).toEqual({ state: "pending", progress: "0/1 complete" });
    expect(readiness(obj("Job", {}, { active: 1, conditions: [] }))).toEqual({ state: "pending", progress: "0/1 complete" });
  });
  it("a Complete condition that is not True does not count", () => {
    expect(readiness(obj("Job", {}, { conditions: [{ type: "Complete", status: "False" }] })).state).toBe("pending");
    expect(readiness(obj("Job", {}, { conditions: [{ type: "Failed", status: "False" }] })).state).toBe("pending");
  });
  it("progress counts succeeded pods against the completions asked for", () => {
    expect(readiness(obj("Job", { completions: 3 }, { succeeded: 1, active: 2 }))).toEqual({ state: "pending", progress: "1/3 complete" });
  });
  it("a failed Job without reason or message still fails, in words", () => {
    expect(readiness(obj("Job", {}, { conditions: [{ type: "Failed", status: "True" }] }))).toEqual({ state: "failed", reason: "Failed: the Job failed" });
  });
});

describe("a Deployment is ready only when the new version serves", () => {
  const ready = { observedGeneration: 1, updatedReplicas: 3, availableReplicas: 3, conditions: [available] };
  it("all replicas updated and available: ready", () => {
    expect(readiness(obj("Deployment", { replicas: 3 }, ready))).toEqual({ state: "ready" });
  });
  it("mid-rollout (old pods still available, fewer updated) is pending", () => {
    expect(readiness(obj("Deployment", { replicas: 3 }, { ...ready, updatedReplicas: 1 }))).toEqual({ state: "pending", progress: "3/3 available" });
  });
  it("updated but not yet available is pending", () => {
    expect(readiness(obj("Deployment", { replicas: 3 }, { ...ready, availableReplicas: 2 }))).toEqual({ state: "pending", progress: "2/3 available" });
  });
  it("without the Available condition it is pending", () => {
    expect(readiness(obj("Deployment", { replicas: 3 }, { ...ready, conditions: [] })).state).toBe("pending");
    expect(readiness(obj("Deployment", { replicas: 3 }, { ...ready, conditions: [{ type: "Available", status: "False" }] })).state).toBe("pending");
  });
  it("a Deployment without replicas wants one", () => {
    expect(readiness(obj("Deployment", {}, { observedGeneration: 1, updatedReplicas: 0, availableReplicas: 0, conditions: [available] }))).toEqual({ state: "pending", progress: "0/1 available" });
    expect(readiness(obj("Deployment", {}, { observedGeneration: 1, updatedReplicas: 1, availableReplicas: 1, conditions: [available] })).state).toBe("ready");
  });
  it("a Progressing=False for another reason than the deadline is not a failure", () => {
    const s = { ...ready, updatedReplicas: 1, conditions: [available, { type: "Progressing", status: "False", reason: "Paused" }] };
    expect(readiness(obj("Deployment", { replicas: 3 }, s)).state).toBe("pending");
    const deadline = { ...ready, conditions: [available, { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] };
    expect(readiness(obj("Deployment", { replicas: 3 }, deadline))).toEqual({ state: "failed", reason: "progress deadline exceeded" });
  });
});

describe("StatefulSets, DaemonSets and Pods", () => {
  it("a StatefulSet with fewer ready replicas, or an old generation, is pending", () => {
    expect(readiness(obj("StatefulSet", { replicas: 3 }, { observedGeneration: 1, readyReplicas: 2 }))).toEqual({ state: "pending", progress: "2/3 ready" });
    expect(readiness(obj("StatefulSet", { replicas: 1 }, { observedGeneration: 1, readyReplicas: 1 }, 2)).state).toBe("pending");
    expect(readiness(obj("StatefulSet", {}, {}))).toEqual({ state: "pending", progress: "0/1 ready" });
  });
  it("a DaemonSet with nothing scheduled yet is not ready; all ready on a current generation is", () => {
    expect(readiness(obj("DaemonSet", {}, { observedGeneration: 1, desiredNumberScheduled: 0, numberReady: 0 }))).toEqual({ state: "pending", progress: "0/0 ready" });
    expect(readiness(obj("DaemonSet", {}, { observedGeneration: 1, desiredNumberScheduled: 2, numberReady: 2 })).state).toBe("ready");
    expect(readiness(obj("DaemonSet", {}, { observedGeneration: 0, desiredNumberScheduled: 2, numberReady: 2 }, 1)).state).toBe("pending");
  });
  it("a running Pod is ready when its Ready condition is True, a failed one fails", () => {
    expect(readiness(obj("Pod", {}, { phase: "Running", conditions: [{ type: "Ready", status: "True" }] })).state).toBe("ready");
    expect(readiness(obj("Pod", {}, { phase: "Running", conditions: [{ type: "Ready", status: "False" }] }))).toEqual({ state: "pending", progress: "Running" });
    expect(readiness(obj("Pod", {}, {}))).toEqual({ state: "pending", progress: "Pending" });
    expect(readiness(obj("Pod", {}, { phase: "Failed", message: "OOMKilled" }))).toEqual({ state: "failed", reason: "OOMKilled" });
    expect(readiness(obj("Pod", {}, { phase: "Failed" }))).toEqual({ state: "failed", reason: "the pod failed" });
  });
});

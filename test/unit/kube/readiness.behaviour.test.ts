// What `up` says while it waits: why a pod is stuck (and whether waiting can help), the
// screen it prints, and which pods count during a rollout. Each case is a pod state a real
// cluster reports.
import { describe, expect, it } from "vitest";
import { formatProblem, podProblem, readiness, runsCurrentTemplate } from "../../../src/kube/readiness.js";

const pod = (status: any) => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "web-1" }, status }) as any;

describe("workloads without a spec or status are waited for, not crashed on", () => {
  it("a Deployment, StatefulSet or Job without spec wants one replica / completion", () => {
    expect(readiness({ kind: "Deployment", metadata: { name: "d" } } as any)).toEqual({ state: "pending", progress: "0/1 available" });
    expect(readiness({ kind: "StatefulSet", metadata: { name: "s" } } as any)).toEqual({ state: "pending", progress: "0/1 ready" });
    expect(readiness({ kind: "Job", metadata: { name: "j" } } as any)).toEqual({ state: "pending", progress: "0/1 complete" });
    expect(readiness({ kind: "DaemonSet", metadata: { name: "ds" } } as any)).toEqual({ state: "pending", progress: "0/0 ready" });
  });
  it("a Deployment that scaled to zero on a current generation is ready", () => {
    expect(readiness({ kind: "Deployment", metadata: { name: "d", generation: 1 }, spec: { replicas: 0 }, status: { observedGeneration: 1, conditions: [{ type: "Available", status: "True" }] } } as any)).toEqual({ state: "ready" });
  });
  it("more replicas than asked (surge) still counts as ready", () => {
    const s = { observedGeneration: 3, updatedReplicas: 3, availableReplicas: 3, conditions: [{ type: "Available", status: "True" }] };
    expect(readiness({ kind: "Deployment", metadata: { name: "d", generation: 3 }, spec: { replicas: 2 }, status: s } as any).state).toBe("ready");
    expect(readiness({ kind: "StatefulSet", metadata: { name: "s", generation: 1 }, spec: { replicas: 2 }, status: { observedGeneration: 1, readyReplicas: 3 } } as any).state).toBe("ready");
  });
});

describe("podProblem: what is wrong with a pod, and whether to give up now", () => {
  it("a container status without a state is not a problem by itself", () => {
    expect(podProblem(pod({ phase: "Running", containerStatuses: [{ name: "web", image: "a:1" }] }))).toBeUndefined();
  });
  it("an image pull error names the image and the kubelet's message", () => {
    const p = podProblem(pod({ phase: "Pending", containerStatuses: [{ name: "web", image: "api:dev", state: { waiting: { reason: "ImagePullBackOff", message: 'Back-off pulling image "api:dev"' } } }] }));
    expect(p).toEqual({ pod: "web-1", fatal: true, summary: 'pod web-1: cannot pull image "api:dev" (ImagePullBackOff: Back-off pulling image "api:dev")' });
    for (const reason of ["ErrImagePull", "InvalidImageName"]) {
      expect(podProblem(pod({ phase: "Pending", containerStatuses: [{ name: "web", image: "x", state: { waiting: { reason } } }] }))?.fatal).toBe(true);
    }
  });
  it("an init container stuck pulling is found before the app containers", () => {
    const p = podProblem(pod({ phase: "Pending", initContainerStatuses: [{ name: "migrate", image: "migrate:1", state: { waiting: { reason: "ErrImagePull" } } }], containerStatuses: [{ name: "web", image: "web:1", state: { waiting: { reason: "PodInitializing" } } }] }));
    expect(p?.summary).toBe('pod web-1: cannot pull image "migrate:1" (ErrImagePull)');
  });
  it("a missing Secret or ConfigMap key (CreateContainerConfigError) is fatal, in the kubelet's words, without logs", () => {
    const p = podProblem(pod({ phase: "Pending", containerStatuses: [{ name: "web", state: { waiting: { reason: "CreateContainerConfigError", message: 'secret "db" not found' } } }] }));
    expect(p).toEqual({ pod: "web-1", fatal: true, summary: 'pod web-1: container web cannot start: secret "db" not found', wantsLogs: undefined });
    const bare = podProblem(pod({ phase: "Pending", containerStatuses: [{ name: "web", state: { waiting: { reason: "CreateContainerConfigError" } } }] }));
    expect(bare?.summary).toBe("pod web-1: container web cannot start: CreateContainerConfigError");
  });
  it("a crash loop before the first exit was recorded has no exit code and counts 0 restarts", () => {
    const p = podProblem(pod({ phase: "Running", containerStatuses: [{ name: "web", state: { waiting: { reason: "CrashLoopBackOff" } } }] }));
    expect(p).toEqual({ pod: "web-1", fatal: true, summary: "pod web-1: container web keeps crashing (CrashLoopBackOff, 0 restarts)", wantsLogs: { container: "web", previous: true } });
    const lastRunning = podProblem(pod({ phase: "Running", containerStatuses: [{ name: "web", restartCount: 1, lastState: {}, state: { waiting: { reason: "CrashLoopBackOff" } } }] }));
    expect(lastRunning?.summary).toBe("pod web-1: container web keeps crashing (CrashLoopBackOff, 1 restarts)");
  });
  it("an exit code of 0 in a crash loop is still shown", () => {
    const p = podProblem(pod({ phase: "Running", containerStatuses: [{ name: "web", restartCount: 2, lastState: { terminated: { exitCode: 0 } }, state: { waiting: { reason: "CrashLoopBackOff" } } }] }));
    expect(p?.summary).toBe("pod web-1: container web keeps crashing (CrashLoopBackOff, exit code 0, 2 restarts)");
  });
  it("other waiting reasons (ContainerCreating) are not fatal", () => {
    expect(podProblem(pod({ phase: "Running", containerStatuses: [{ name: "web", state: { waiting: { reason: "ContainerCreating" } } }] }))).toBeUndefined();
  });
  it("a failed pod names the container that exited, with its code, and wants that run's logs; it is not fatal (the controller retries)", () => {
    const p = podProblem(pod({ phase: "Failed", containerStatuses: [{ name: "side", state: { running: {} } }, { name: "web", state: { terminated: { exitCode: 3 } } }] }));
    expect(p).toEqual({ pod: "web-1", fatal: false, summary: "pod web-1 failed (container web exit code 3)", wantsLogs: { container: "web", previous: false } });
    expect(podProblem(pod({ phase: "Failed" }))).toEqual({ pod: "web-1", fatal: false, summary: "pod web-1 failed", wantsLogs: undefined });
    expect(podProblem(pod({ phase: "Failed", containerStatuses: [{ name: "init" }, { name: "web", state: { terminated: { exitCode: 1 } } }] }))?.summary).toBe("pod web-1 failed (container web exit code 1)");
  });
  it("a pending pod wants its events; an unscheduled one says so, with the scheduler's message when there is one", () => {
    expect(podProblem(pod({ phase: "Pending" }))).toEqual({ pod: "web-1", fatal: false, summary: "pod web-1 is Pending", wantsEvents: true });
    expect(podProblem(pod(undefined))).toEqual({ pod: "web-1", fatal: false, summary: "pod web-1 is Pending", wantsEvents: true });
    expect(podProblem(pod({ phase: "Pending", conditions: [{ type: "PodScheduled", status: "False" }] }))?.summary).toBe("pod web-1 is Pending: not scheduled");
    expect(podProblem(pod({ phase: "Pending", conditions: [{ type: "PodScheduled", status: "True" }] }))?.summary).toBe("pod web-1 is Pending");
  });
  it("a pod that was not scheduled but is no longer Pending is not reported as unscheduled", () => {
    expect(podProblem(pod({ phase: "Running", conditions: [{ type: "PodScheduled", status: "False" }] }))).toBeUndefined();
    expect(podProblem(pod({ phase: "Succeeded" }))).toBeUndefined();
  });
});

describe("formatProblem: one screen", () => {
  const p = { pod: "web-1", fatal: true, summary: "pod web-1: container web keeps crashing" };
  it("shows the last 15 log lines, indented, under the summary", () => {
    const logs = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const out = formatProblem(p, logs, []).split("\n");
    expect(out[0]).toBe(p.summary);
    expect(out[1]).toBe("  last log lines:");
    expect(out.slice(2)).toEqual(logs.slice(5).map((l) => `    ${l}`));
  });
  it("without logs or events it is the summary alone", () => {
    expect(formatProblem(p, [], [])).toBe(p.summary);
  });
  it("prefers Warning events (the last 5), and falls back to the last 5 of any type", () => {
    const normal = Array.from({ length: 7 }, (_, i) => ({ type: "Normal", reason: "Pulled", message: `n${i}` }));
    const warnings = Array.from({ length: 6 }, (_, i) => ({ type: "Warning", reason: "BackOff", message: `w${i}` }));
    const mixed = formatProblem(p, [], [...warnings.slice(0, 3), ...normal, ...warnings.slice(3)]).split("\n").slice(1);
    expect(mixed).toEqual(["w1", "w2", "w3", "w4", "w5"].map((m) => `  event BackOff: ${m}`));
    const onlyNormal = formatProblem(p, [], normal).split("\n").slice(1);
    expect(onlyNormal).toEqual(["n2", "n3", "n4", "n5", "n6"].map((m) => `  event Pulled: ${m}`));
  });
  it("logs come before events", () => {
    expect(formatProblem(p, ["boom"], [{ type: "Warning", reason: "BackOff", message: "restarting" }])).toBe(`${p.summary}\n  last log lines:\n    boom\n  event BackOff: restarting`);
  });
});

describe("runsCurrentTemplate: an old pod during a rollout does not fail the wait", () => {
  const c = { name: "api", image: "api:2", command: ["node"], args: ["server.js"], env: [{ name: "A", value: "1" }], envFrom: [{ configMapRef: { name: "cfg" } }] };
  const workload = { kind: "Deployment", metadata: { name: "api" }, spec: { template: { spec: { containers: [c] } } } } as any;
  const podWith = (over: object) => ({ metadata: { name: "p" }, spec: { containers: [{ ...c, ...over }] } }) as any;
  it("the same containers (extra defaults filled in by the server do not matter) is current", () => {
    expect(runsCurrentTemplate(podWith({ imagePullPolicy: "IfNotPresent", terminationMessagePath: "/dev/termination-log" }), workload)).toBe(true);
  });
  it("a changed command, args, env or envFrom is an old pod", () => {
    expect(runsCurrentTemplate(podWith({ command: ["sh"] }), workload)).toBe(false);
    expect(runsCurrentTemplate(podWith({ args: ["old.js"] }), workload)).toBe(false);
    expect(runsCurrentTemplate(podWith({ env: [{ name: "A", value: "0" }] }), workload)).toBe(false);
    expect(runsCurrentTemplate(podWith({ envFrom: [{ configMapRef: { name: "old" } }] }), workload)).toBe(false);
    expect(runsCurrentTemplate(podWith({ name: "api-old" }), workload)).toBe(false);
  });
  it("a workload without a pod template cannot tell: every pod counts", () => {
    expect(runsCurrentTemplate(podWith({ image: "other" }), { kind: "Service", metadata: { name: "api" }, spec: {} } as any)).toBe(true);
  });
});

// Whether a workload is ready, still coming up, or failed; and why its pods are stuck, in
// words a developer can act on. Pure: the caller fetches objects, events and logs.
import type { KubeObject } from "../model/index.js";
import { containersOf, podSpecOf, type Container } from "./pod-spec.js";

export type Readiness = { state: "ready" } | { state: "pending"; progress: string } | { state: "failed"; reason: string };

type Obj = KubeObject & { spec?: any; status?: any };
const cond = (o: Obj, type: string) => ((o.status?.conditions ?? []) as { type: string; status: string; reason?: string; message?: string }[]).find((c) => c.type === type);

export function readiness(o: Obj): Readiness {
  const s = o.status ?? {};
  const current = (s.observedGeneration ?? 0) >= (o.metadata.generation ?? 0);
  switch (o.kind) {
    case "Deployment": {
      const want = o.spec?.replicas ?? 1;
      const stalled = cond(o, "Progressing");
      if (stalled?.status === "False" && stalled.reason === "ProgressDeadlineExceeded") return { state: "failed", reason: stalled.message ?? "progress deadline exceeded" };
      const ok = current && (s.updatedReplicas ?? 0) >= want && (s.availableReplicas ?? 0) >= want && cond(o, "Available")?.status === "True";
      return ok ? { state: "ready" } : { state: "pending", progress: `${s.availableReplicas ?? 0}/${want} available` };
    }
    case "StatefulSet": {
      const want = o.spec?.replicas ?? 1;
      return current && (s.readyReplicas ?? 0) >= want ? { state: "ready" } : { state: "pending", progress: `${s.readyReplicas ?? 0}/${want} ready` };
    }
    case "DaemonSet": {
      const want = s.desiredNumberScheduled ?? 0;
      return current && want > 0 && (s.numberReady ?? 0) >= want ? { state: "ready" } : { state: "pending", progress: `${s.numberReady ?? 0}/${want} ready` };
    }
    case "Job": {
      const failed = cond(o, "Failed");
      if (failed?.status === "True") return { state: "failed", reason: `${failed.reason ?? "Failed"}: ${failed.message ?? "the Job failed"}` };
      return cond(o, "Complete")?.status === "True" ? { state: "ready" } : { state: "pending", progress: `${s.succeeded ?? 0}/${o.spec?.completions ?? 1} complete` };
    }
    case "Pod":
      if (s.phase === "Succeeded" || cond(o, "Ready")?.status === "True") return { state: "ready" };
      return s.phase === "Failed" ? { state: "failed", reason: s.message ?? "the pod failed" } : { state: "pending", progress: s.phase ?? "Pending" };
    default:
      return { state: "ready" };
  }
}

/** Why a pod is not running, and whether waiting longer can help. */
export interface PodProblem {
  pod: string;
  /** Image pull and crash loops do not fix themselves: fail the wait now. */
  fatal: boolean;
  summary: string;
  /** Needs the pod's last log lines (crashes). */
  wantsLogs?: { container: string; previous: boolean };
  /** Needs the pod's Events (scheduling). */
  wantsEvents?: boolean;
}

const PULL_ERRORS = new Set(["ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName"]);

export function podProblem(pod: Obj): PodProblem | undefined {
  const name = pod.metadata.name;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])] as any[];
  for (const c of statuses) {
    const waiting = c.state?.waiting;
    if (waiting && PULL_ERRORS.has(waiting.reason)) {
      return { pod: name, fatal: true, summary: `pod ${name}: cannot pull image "${c.image}" (${waiting.reason}${waiting.message ? `: ${waiting.message}` : ""})` };
    }
    if (waiting?.reason === "CrashLoopBackOff" || waiting?.reason === "CreateContainerConfigError") {
      const exit = c.lastState?.terminated?.exitCode;
      return {
        pod: name,
        fatal: true,
        summary: `pod ${name}: container ${c.name} ${waiting.reason === "CrashLoopBackOff" ? `keeps crashing (CrashLoopBackOff${exit !== undefined ? `, exit code ${exit}` : ""}, ${c.restartCount ?? 0} restarts)` : `cannot start: ${waiting.message ?? waiting.reason}`}`,
        wantsLogs: waiting.reason === "CrashLoopBackOff" ? { container: c.name, previous: true } : undefined,
      };
    }
  }
  if (pod.status?.phase === "Failed") {
    const c = statuses.find((x) => x.state?.terminated);
    return { pod: name, fatal: false, summary: `pod ${name} failed${c ? ` (container ${c.name} exit code ${c.state.terminated.exitCode})` : ""}`, wantsLogs: c ? { container: c.name, previous: false } : undefined };
  }
  const scheduled = cond(pod, "PodScheduled");
  if (pod.status?.phase === "Pending" && scheduled?.status === "False") {
    return { pod: name, fatal: false, summary: `pod ${name} is Pending: not scheduled${scheduled.message ? ` (${scheduled.message})` : ""}`, wantsEvents: true };
  }
  if ((pod.status?.phase ?? "Pending") === "Pending") return { pod: name, fatal: false, summary: `pod ${name} is Pending`, wantsEvents: true };
  return undefined;
}

/** One screen: the problem, then indented log lines or events. */
export function formatProblem(p: PodProblem, logLines: string[], events: { reason?: string; message?: string; type?: string }[]): string {
  const lines = [p.summary];
  if (logLines.length) lines.push("  last log lines:", ...logLines.slice(-15).map((l) => `    ${l}`));
  const warnings = events.filter((e) => e.type === "Warning");
  for (const e of (warnings.length ? warnings : events).slice(-5)) lines.push(`  event ${e.reason}: ${e.message}`);
  return lines.join("\n");
}

/**
 * Whether a pod runs the workload's current template (same images, commands and env), so that
 * during a rollout an old crashing pod does not fail the wait for the fixed one.
 */
export function runsCurrentTemplate(pod: Obj, workload: Obj): boolean {
  const pick = (cs: Container[]) => JSON.stringify(cs.map((c) => [c.name, c.image, c.command ?? null, c.args ?? null, c.env ?? null, c.envFrom ?? null]));
  return !podSpecOf(workload) || pick(containersOf({ ...pod, kind: "Pod" })) === pick(containersOf(workload));
}

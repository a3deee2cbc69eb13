// Watch-based waits: each object's own watch plus a watch on its pods keep a current view, and
// the shared wait (src/wait) judges it: ends as soon as the object is ready, fails fast on crash
// loops and image pull errors, and on timeout says why.
import type { KubeObject } from "../model/index.js";
import { DevenvError } from "../errors/devenv-error.js";
import { done, failed, notYet, waitFor, type Explanation } from "../wait/wait.js";
import type { KubeRest } from "./rest.js";
import { describeObject } from "./ownership.js";
import { formatProblem, podProblem, readiness, runsCurrentTemplate, type PodProblem } from "./readiness.js";
import { WAITED_KINDS } from "./waves.js";

type Obj = KubeObject & { spec?: any; status?: any };

/** `a=b,c=d` from a workload's matchLabels; Jobs' pods are found by owner instead. */
function podSelector(o: Obj): string | undefined {
  const ml = o.spec?.selector?.matchLabels as Record<string, string> | undefined;
  return ml && o.kind !== "Job" ? Object.entries(ml).map(([k, v]) => `${k}=${v}`).join(",") : undefined;
}

/**
 * Waits for every object at once. The first failure (a crash loop, a failed Job) ends the other
 * waits and is the answer; timeouts are gathered, so the error names every object not ready.
 */
export async function waitForObjects(rest: KubeRest, objects: KubeObject[], timeoutMs: number, namespace?: string): Promise<void> {
  const waited = objects.filter((o) => WAITED_KINDS.has(o.kind));
  const stop = new AbortController(); // the first failure ends the other waits
  const timeouts: DevenvError[] = [];
  try {
    await Promise.all(
      waited.map((o) =>
        waitOne(rest, o, namespace, timeoutMs, stop.signal).catch((e: unknown) => {
          if (e instanceof DevenvError && TIMED_OUT.test(e.message)) return void timeouts.push(e);
          throw e;
        }),
      ),
    );
  } finally {
    stop.abort();
  }
  if (timeouts.length === 1) throw timeouts[0];
  if (timeouts.length > 1) throw allTimedOut(timeouts);
}

const TIMED_OUT = /^timed out after (\S+ s) waiting for /;

/** One error for several timeouts: each object with its reason, and each one's explanation below. */
export function allTimedOut(errors: DevenvError[]): DevenvError {
  const after = TIMED_OUT.exec(errors[0]!.message)?.[1] ?? "";
  const each = errors.map((e) => e.message.replace(TIMED_OUT, ""));
  const details = errors.map((e, i) => [each[i], ...(e.details ? [e.details.replace(/^/gm, "  ")] : [])].join("\n")).join("\n");
  return new DevenvError(`timed out after ${after} waiting for ${errors.length} workloads: ${each.join("; ")}`, { details, hint: errors[0]!.hint });
}

async function waitOne(rest: KubeRest, target: KubeObject, namespace: string | undefined, timeoutMs: number, outer: AbortSignal): Promise<void> {
  const info = await rest.resource(target.apiVersion, target.kind);
  if (!info) return;
  const ns = info.namespaced ? (target.metadata.namespace ?? namespace ?? "default") : undefined;
  const listPath = rest.path(target.apiVersion, info, ns);
  const byName = { fieldSelector: `metadata.name=${target.metadata.name}` };
  const first = await rest.list<Obj>(listPath, byName);
  // List items carry no kind/apiVersion on a real server; the target says what they are.
  let obj: Obj | undefined = first.items[0] && { ...first.items[0], apiVersion: target.apiVersion, kind: target.kind };
  const pods = new Map<string, Obj>();
  const local = new AbortController();
  const signal = AbortSignal.any([outer, local.signal]);
  const ownedPods = () => [...pods.values()].filter((p) => (obj?.kind === "Job" ? (p.metadata.ownerReferences as any[] | undefined)?.some((r) => r.uid === obj?.metadata.uid) : true));
  const podsPath = `/api/v1/namespaces/${ns ?? "default"}/pods`;
  const selector = podSelector(obj ?? target);
  const podQuery: Record<string, string> = selector ? { labelSelector: selector } : {};
  const podList = await rest.list<Obj>(podsPath, podQuery);
  for (const p of podList.items) pods.set(p.metadata.name, p);
  const watches = [
    rest.watch<Obj>(listPath, byName, first.metadata.resourceVersion, signal, (type, o) => {
      obj = type === "DELETED" ? undefined : o;
    }),
    rest.watch<Obj>(podsPath, podQuery, podList.metadata.resourceVersion, signal, (type, p) => {
      if (type === "DELETED") pods.delete(p.metadata.name);
      else pods.set(p.metadata.name, p);
    }),
  ];
  // The check reads what the watches last saw (no request), so it can run often.
  const waiting = waitFor(
    describeObject({ ...target, metadata: { ...target.metadata, namespace: ns } }),
    async () => {
      if (!obj) return notYet("it does not exist yet");
      const r = readiness(obj);
      if (r.state === "ready") return done();
      if (r.state === "failed") return failed(r.reason, await explain(rest, obj, ownedPods(), `${describeObject(obj)} failed: ${r.reason}`));
      const fatal = ownedPods()
        .filter((p) => runsCurrentTemplate(p, obj!))
        .map(podProblem)
        .find((p) => p?.fatal);
      if (fatal) return failed(fatal.summary, await explain(rest, obj, ownedPods(), `${describeObject(obj)} is not coming up`));
      return notYet(r.progress);
    },
    { timeoutMs, intervalMs: 100, signal, explain: async () => (obj ? explanation(rest, obj, ownedPods()) : {}) },
  );
  try {
    await Promise.race([waiting, Promise.all(watches).then(() => waiting)]);
  } finally {
    local.abort();
  }
}

/** Builds the one-screen failure: the headline, then each stuck pod with its logs or events. */
async function explain(rest: KubeRest, obj: Obj, pods: Obj[], headline: string): Promise<DevenvError> {
  return new DevenvError(headline, await explanation(rest, obj, pods));
}

/** Each stuck pod with its logs or events, and what to do. */
async function explanation(rest: KubeRest, obj: Obj, pods: Obj[]): Promise<Explanation> {
  const problems = pods.map(podProblem).filter((p): p is PodProblem => Boolean(p));
  const parts: string[] = [];
  for (const p of problems.slice(0, 3)) {
    const ns = obj.metadata.namespace ?? "default";
    const logs = p.wantsLogs ? await podLogTail(rest, ns, p.pod, p.wantsLogs.container, p.wantsLogs.previous) : [];
    const events = p.wantsEvents ? await podEvents(rest, ns, p.pod) : [];
    parts.push(formatProblem(p, logs, events));
  }
  const pullHint = problems.some((p) => p.summary.includes("cannot pull image"));
  const hint = pullHint
    ? "devenv loads the images it builds into the cluster; for other images check imageOverrides in devenv.ts and that the node can pull them"
    : obj.kind === "Job"
      ? "fix the job (see its logs: `devenv logs " + obj.metadata.name + "`), then run `devenv up` again; the apps were not rolled out"
      : "see `devenv status` and `devenv logs <service>`";
  return { details: parts.join("\n") || undefined, hint };
}

async function podLogTail(rest: KubeRest, ns: string, pod: string, container: string, previous: boolean): Promise<string[]> {
  const read = async (prev: boolean) => {
    const lines: string[] = [];
    await rest.log(ns, pod, { container, tailLines: 15, previous: prev }, (l) => lines.push(l));
    return lines;
  };
  const lines = await read(previous).catch(() => (previous ? read(false) : [])).catch(() => []);
  return lines.filter((l) => l.length);
}

async function podEvents(rest: KubeRest, ns: string, pod: string): Promise<{ reason?: string; message?: string; type?: string }[]> {
  const list = await rest.list<{ reason?: string; message?: string; type?: string }>(`/api/v1/namespaces/${ns}/events`, { fieldSelector: `involvedObject.name=${pod}` }).catch(() => ({ items: [] }));
  return list.items;
}

// Watch-based waits: each object's own watch plus a watch on its pods; ends as soon as the
// object is ready, fails fast on crash loops and image pull errors, and on timeout says why.
import type { KubeObject } from "../model/index.js";
import { DevenvError } from "../errors/devenv-error.js";
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

export async function waitForObjects(rest: KubeRest, objects: KubeObject[], timeoutMs: number, namespace?: string): Promise<void> {
  const waited = objects.filter((o) => WAITED_KINDS.has(o.kind));
  const deadline = AbortSignal.timeout(timeoutMs);
  const stop = new AbortController();
  try {
    await Promise.all(waited.map((o) => waitOne(rest, o, namespace, timeoutMs, AbortSignal.any([deadline, stop.signal]))));
  } finally {
    stop.abort();
  }
}

/** Streams watch events for `path` from `rv`, restarting when the server ends the stream, until `signal`. */
async function watchLoop(rest: KubeRest, path: string, query: Record<string, string>, rv: string, signal: AbortSignal, onObject: (type: string, o: Obj) => void): Promise<void> {
  let from = rv;
  while (!signal.aborted) {
    await rest
      .stream(path, { query: { ...query, watch: "true", resourceVersion: from, timeoutSeconds: "30" }, signal }, (line) => {
        if (!line.trim()) return;
        const ev = JSON.parse(line) as { type: string; object: Obj };
        if (ev.object?.metadata?.resourceVersion) from = String(ev.object.metadata.resourceVersion);
        onObject(ev.type, ev.object);
      })
      .catch((e) => {
        if (!signal.aborted) throw e;
      });
  }
}

async function waitOne(rest: KubeRest, target: KubeObject, namespace: string | undefined, timeoutMs: number, outer: AbortSignal): Promise<void> {
  const info = await rest.resource(target.apiVersion, target.kind);
  if (!info) return;
  const ns = info.namespaced ? (target.metadata.namespace ?? namespace ?? "default") : undefined;
  const listPath = rest.path(target.apiVersion, info, ns);
  const byName = { fieldSelector: `metadata.name=${target.metadata.name}` };
  const first = await rest.request<{ items: Obj[]; metadata: { resourceVersion: string } }>("GET", listPath, { query: byName });
  // List items carry no kind/apiVersion on a real server; the target says what they are.
  let obj: Obj | undefined = first.items[0] && { ...first.items[0], apiVersion: target.apiVersion, kind: target.kind };
  const pods = new Map<string, Obj>();
  const local = new AbortController();
  const signal = AbortSignal.any([outer, local.signal]);
  let settle!: (e?: Error) => void;
  const done = new Promise<void>((resolve, reject) => (settle = (e) => (e ? reject(e) : resolve())));
  let settled = false;
  const finish = (e?: Error) => {
    if (settled) return;
    settled = true;
    local.abort();
    settle(e);
  };
  const ownedPods = () => [...pods.values()].filter((p) => (obj?.kind === "Job" ? (p.metadata.ownerReferences as any[] | undefined)?.some((r) => r.uid === obj?.metadata.uid) : true));
  const check = () => {
    if (!obj || settled) return;
    const r = readiness(obj);
    if (r.state === "ready") return finish();
    if (r.state === "failed") return void explain(rest, obj, ownedPods(), `${describeObject(obj)} failed: ${r.reason}`).then(finish, finish);
    const fatal = ownedPods()
      .filter((p) => runsCurrentTemplate(p, obj!))
      .map(podProblem)
      .find((p) => p?.fatal);
    if (fatal) void explain(rest, obj, ownedPods(), `${describeObject(obj)} is not coming up`).then(finish, finish);
  };
  outer.addEventListener("abort", () => {
    if (settled || !obj) return finish(new DevenvError(`${describeObject(target)} was not created`, {}));
    const progress = readiness(obj);
    void explain(rest, obj, ownedPods(), `timed out after ${Math.round(timeoutMs / 1000)}s waiting for ${describeObject(obj)}${progress.state === "pending" ? ` (${progress.progress})` : ""}`).then(finish, finish);
  });
  const podsPath = `/api/v1/namespaces/${ns ?? "default"}/pods`;
  const selector = podSelector(obj ?? target);
  const podQuery: Record<string, string> = selector ? { labelSelector: selector } : {};
  const podList = await rest.request<{ items: Obj[]; metadata: { resourceVersion: string } }>("GET", podsPath, { query: podQuery });
  for (const p of podList.items) pods.set(p.metadata.name, p);
  check();
  const watches = [
    watchLoop(rest, listPath, byName, first.metadata.resourceVersion, signal, (type, o) => {
      obj = type === "DELETED" ? undefined : o;
      check();
    }),
    watchLoop(rest, podsPath, podQuery, podList.metadata.resourceVersion, signal, (type, p) => {
      if (type === "DELETED") pods.delete(p.metadata.name);
      else pods.set(p.metadata.name, p);
      check();
    }),
  ];
  try {
    await Promise.race([done, Promise.all(watches).then(() => done)]);
  } finally {
    local.abort();
  }
}

/** Builds the one-screen failure: the headline, then each stuck pod with its logs or events. */
async function explain(rest: KubeRest, obj: Obj, pods: Obj[], headline: string): Promise<DevenvError> {
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
  return new DevenvError(headline, { details: parts.join("\n") || undefined, hint });
}

async function podLogTail(rest: KubeRest, ns: string, pod: string, container: string, previous: boolean): Promise<string[]> {
  const read = (prev: boolean) => rest.request<string>("GET", `/api/v1/namespaces/${ns}/pods/${pod}/log`, { query: { container, tailLines: 15, previous: prev || undefined } });
  const text = await read(previous).catch(() => (previous ? read(false) : "")).catch(() => "");
  return String(text).split("\n").filter((l) => l.length);
}

async function podEvents(rest: KubeRest, ns: string, pod: string): Promise<{ reason?: string; message?: string; type?: string }[]> {
  const list = await rest.request<{ items: any[] }>("GET", `/api/v1/namespaces/${ns}/events`, { query: { fieldSelector: `involvedObject.name=${pod}` } }).catch(() => ({ items: [] }));
  return list.items;
}

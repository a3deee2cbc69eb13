// What `devenv status` shows: each workload's ready/desired and state, and the URLs its
// Ingresses serve. Summaries are pure; collectStatus reads them from the cluster.
import type { KubeObject } from "../model/index.js";
import type { KubeRest } from "./rest.js";
import { readiness } from "./readiness.js";

export interface WorkloadRow {
  kind: string;
  name: string;
  /** Whether it is fully up (Job: complete); a stopped workload (0 desired) is not. */
  ready: boolean;
  /** Ready (Deployment: available; Job: succeeded) pods, of `desired`. */
  readyReplicas: number;
  desired: number;
  /** `stopped`: scaled to 0 (after `devenv down`, or on purpose). */
  state: "ready" | "progressing" | "failed" | "complete" | "stopped";
  detail?: string;
}

export interface EnvStatus {
  namespace: string;
  workloads: WorkloadRow[];
  urls: string[];
}

type Obj = KubeObject & { spec?: any; status?: any };

export const WORKLOAD_TYPES: [apiVersion: string, kind: string, plural: string][] = [
  ["apps/v1", "StatefulSet", "statefulsets"],
  ["apps/v1", "Deployment", "deployments"],
  ["apps/v1", "DaemonSet", "daemonsets"],
  ["batch/v1", "Job", "jobs"],
];

export function summarize(o: Obj): WorkloadRow {
  const s = o.status ?? {};
  const counts: Record<string, [number, number]> = {
    Deployment: [s.availableReplicas ?? 0, o.spec?.replicas ?? 1],
    StatefulSet: [s.readyReplicas ?? 0, o.spec?.replicas ?? 1],
    DaemonSet: [s.numberReady ?? 0, s.desiredNumberScheduled ?? 0],
    Job: [s.succeeded ?? 0, o.spec?.completions ?? 1],
  };
  const [readyReplicas, desired] = counts[o.kind] ?? [0, 0];
  const r = readiness(o);
  const state: WorkloadRow["state"] =
    r.state === "failed" ? "failed" : desired === 0 && o.kind !== "Job" && o.kind !== "DaemonSet" ? "stopped" : r.state === "ready" ? (o.kind === "Job" ? "complete" : "ready") : "progressing";
  return { kind: o.kind, name: o.metadata.name, ready: state === "ready" || state === "complete", readyReplicas, desired, state, ...(r.state === "failed" ? { detail: r.reason } : {}) };
}

/** `http://api.shop.localhost:8080/` for each Ingress rule (https when the host has TLS). */
export function ingressUrls(ingresses: Obj[], ports: { http: number; https: number }): string[] {
  const urls: string[] = [];
  for (const ing of ingresses) {
    const tlsHosts = new Set<string>((ing.spec?.tls ?? []).flatMap((t: { hosts?: string[] }) => t.hosts ?? []));
    for (const rule of ing.spec?.rules ?? []) {
      const host = rule.host ?? "localhost";
      const https = tlsHosts.has(host);
      const port = https ? (ports.https === 443 ? "" : `:${ports.https}`) : ports.http === 80 ? "" : `:${ports.http}`;
      for (const p of rule.http?.paths ?? [{ path: "/" }]) urls.push(`${https ? "https" : "http"}://${host}${port}${p.path ?? "/"}`);
    }
  }
  return [...new Set(urls)];
}

export async function collectStatus(rest: KubeRest, namespace: string, ports: { http: number; https: number }): Promise<EnvStatus> {
  const workloads: WorkloadRow[] = [];
  for (const [apiVersion, kind, plural] of WORKLOAD_TYPES) {
    const list = await rest.request<{ items: Obj[] }>("GET", `/apis/${apiVersion}/namespaces/${namespace}/${plural}`);
    for (const o of list.items) workloads.push(summarize({ ...o, apiVersion, kind }));
  }
  const ing = await rest.request<{ items: Obj[] }>("GET", `/apis/networking.k8s.io/v1/namespaces/${namespace}/ingresses`);
  return { namespace, workloads, urls: ingressUrls(ing.items, ports) };
}

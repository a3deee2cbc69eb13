// `devenv logs <service>` on the cluster: every pod of the workload (or Service) of that name,
// each line prefixed `pod-name | `; with follow, streams until interrupted.
import { DevenvError } from "../errors/devenv-error.js";
import { containersOf, type PodSpec } from "./pod-spec.js";
import type { KubeRest } from "./rest.js";
import { WORKLOAD_TYPES } from "./workloads.js";

interface Sel {
  matchLabels?: Record<string, string>;
}

/** The label selector of workload or Service `name`; lists the candidates when none matches. */
export async function selectorFor(rest: KubeRest, namespace: string, name: string): Promise<string> {
  const found: string[] = [];
  for (const [apiVersion, kind, plural] of WORKLOAD_TYPES) {
    const o = await rest.find<{ spec?: { selector?: Sel } }>(`/apis/${apiVersion}/namespaces/${namespace}/${plural}/${name}`);
    if (!o) continue;
    // Jobs' own selectors use a generated controller-uid label; their pods carry job-name.
    if (kind === "Job") return `job-name=${name}`;
    found.push(Object.entries(o.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(","));
  }
  if (found[0]) return found[0];
  const svc = await rest.find<{ spec?: { selector?: Record<string, string> } }>(`/api/v1/namespaces/${namespace}/services/${name}`);
  if (svc?.spec?.selector) return Object.entries(svc.spec.selector).map(([k, v]) => `${k}=${v}`).join(",");
  const names: string[] = [];
  for (const [apiVersion, , plural] of WORKLOAD_TYPES) {
    const list = await rest.list<{ metadata: { name: string } }>(`/apis/${apiVersion}/namespaces/${namespace}/${plural}`);
    names.push(...list.items.map((i) => i.metadata.name));
  }
  throw new DevenvError(`no workload or Service named "${name}" in namespace ${namespace}`, { hint: names.length ? `known: ${[...new Set(names)].sort().join(", ")}` : "nothing is deployed yet: run `devenv up`", exitCode: 2 });
}

export interface LogsOptions {
  follow: boolean;
  tail: number;
  signal?: AbortSignal;
}

/** Writes the pods' logs through `write`, prefixed per pod; resolves when all streams end. */
export async function streamLogs(rest: KubeRest, namespace: string, name: string, o: LogsOptions, write: (line: string) => void): Promise<number> {
  const selector = await selectorFor(rest, namespace, name);
  const pods = await rest.list<{ metadata: { name: string }; spec: PodSpec }>(`/api/v1/namespaces/${namespace}/pods`, { labelSelector: selector });
  if (pods.items.length === 0) throw new DevenvError(`"${name}" has no pods in namespace ${namespace}`, { hint: "see `devenv status`; a workload scaled to zero or not yet scheduled has no logs" });
  const width = Math.max(...pods.items.map((p) => p.metadata.name.length));
  await Promise.all(
    pods.items.map((p) =>
      rest.log(namespace, p.metadata.name, { follow: o.follow, tailLines: o.tail, container: containersOf({ ...p, kind: "Pod" })[0]?.name, signal: o.signal }, (line) => write(`${p.metadata.name.padEnd(width)} | ${line}`)),
    ),
  );
  return pods.items.length;
}

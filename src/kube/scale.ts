// `devenv down` on a cluster: scale the environment's Deployments and StatefulSets to zero
// through their /scale subresource (like `kubectl scale`), keeping PVCs and data. `up`
// re-applies the manifests, which brings the replicas back.
import type { KubeConfig } from "@kubernetes/client-node";
import { KubeRest } from "./rest.js";
import { ENV_LABEL } from "./ownership.js";

const SCALABLE = [
  { resource: "deployments", kind: "Deployment" },
  { resource: "statefulsets", kind: "StatefulSet" },
] as const;

/** Scales every Deployment/StatefulSet labelled with the environment to 0; returns `Kind/name` of those it changed. */
export async function scaleToZero(kc: KubeConfig, namespace: string, envName: string): Promise<string[]> {
  const rest = new KubeRest(kc);
  const changed: string[] = [];
  for (const { resource, kind } of SCALABLE) {
    const base = `/apis/apps/v1/namespaces/${namespace}/${resource}`;
    const list = await rest.request<{ items: { metadata: { name: string }; spec?: { replicas?: number } }[] }>("GET", base, { query: { labelSelector: `${ENV_LABEL}=${envName}` } });
    for (const item of list.items) {
      if (item.spec?.replicas === 0) continue;
      await rest.request("PATCH", `${base}/${item.metadata.name}/scale`, { body: { spec: { replicas: 0 } }, contentType: "application/merge-patch+json" });
      changed.push(`${kind}/${item.metadata.name}`);
    }
  }
  return changed;
}

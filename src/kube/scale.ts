// `devenv down` on a cluster: scale the environment's Deployments and StatefulSets to zero
// through their /scale subresource (like `kubectl scale`), keeping PVCs and data. `up`
// re-applies the manifests, which brings the replicas back.
import type { KubeRest } from "./rest.js";
import { ENV_LABEL, FIELD_MANAGER } from "./ownership.js";

const SCALABLE = [
  { resource: "deployments", kind: "Deployment" },
  { resource: "statefulsets", kind: "StatefulSet" },
] as const;

/** Scales every Deployment/StatefulSet labelled with the environment to 0; returns `Kind/name` of those it changed. */
export async function scaleToZero(rest: KubeRest, namespace: string, envName: string): Promise<string[]> {
  const changed: string[] = [];
  for (const { resource, kind } of SCALABLE) {
    const base = `/apis/apps/v1/namespaces/${namespace}/${resource}`;
    const list = await rest.list<{ metadata: { name: string }; spec?: { replicas?: number } }>(base, { labelSelector: `${ENV_LABEL}=${envName}` });
    for (const item of list.items) {
      if (item.spec?.replicas === 0) continue;
      await rest.patch(`${base}/${item.metadata.name}/scale`, { spec: { replicas: 0 } }, "merge", { fieldManager: FIELD_MANAGER });
      changed.push(`${kind}/${item.metadata.name}`);
    }
  }
  return changed;
}

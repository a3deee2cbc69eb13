// The inventory: a ConfigMap `devenv-inventory` in the environment's namespace listing what
// devenv applied, so objects dropped from the manifests are pruned on the next `up` (in the
// spirit of kubectl's applyset). Only objects still labelled as this environment's are deleted.
import type { KubeRest } from "./rest.js";
import { ENV_LABEL, FIELD_MANAGER, MANAGED_BY_LABEL, isOwnedBy } from "./ownership.js";

export const INVENTORY_NAME = "devenv-inventory";

export interface InventoryRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** Group + kind + namespace + name: the identity of an object across API versions. */
const keyOf = (r: InventoryRef) => `${r.apiVersion.includes("/") ? r.apiVersion.split("/")[0] : ""}/${r.kind}/${r.namespace ?? ""}/${r.name}`;

/** Objects in `previous` that `current` no longer has; Namespaces and CRDs are never pruned (they take data with them). */
export function toPrune(previous: InventoryRef[], current: InventoryRef[]): InventoryRef[] {
  const keep = new Set(current.map(keyOf));
  return previous.filter((r) => !keep.has(keyOf(r)) && r.kind !== "Namespace" && r.kind !== "CustomResourceDefinition");
}

/** `previous ∪ current`, deduplicated (current wins), in a stable order. */
export function union(previous: InventoryRef[], current: InventoryRef[]): InventoryRef[] {
  const byKey = new Map(previous.map((r) => [keyOf(r), r]));
  for (const r of current) byKey.set(keyOf(r), r);
  return [...byKey.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

export async function readInventory(rest: KubeRest, namespace: string): Promise<InventoryRef[]> {
  const cm = await rest.find(`/api/v1/namespaces/${namespace}/configmaps/${INVENTORY_NAME}`);
  return JSON.parse(cm?.data?.objects ?? "[]") as InventoryRef[];
}

/** Writes the inventory (server-side apply; a no-op when unchanged). */
export async function writeInventory(rest: KubeRest, namespace: string, envName: string, refs: InventoryRef[]): Promise<void> {
  const objects = JSON.stringify(union([], refs));
  const path = `/api/v1/namespaces/${namespace}/configmaps/${INVENTORY_NAME}`;
  const live = await rest.find(path);
  if (live?.data?.objects === objects) return;
  await rest.request("PATCH", path, {
    query: { fieldManager: FIELD_MANAGER, force: true },
    contentType: "application/apply-patch+yaml",
    body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: INVENTORY_NAME, namespace, labels: { [MANAGED_BY_LABEL]: "devenv", [ENV_LABEL]: envName } }, data: { objects } },
  });
}

/** Deletes `refs` that still carry this environment's labels; returns what it deleted and what it left alone. */
export async function prune(rest: KubeRest, refs: InventoryRef[], envName: string): Promise<{ deleted: InventoryRef[]; skipped: InventoryRef[] }> {
  const deleted: InventoryRef[] = [];
  const skipped: InventoryRef[] = [];
  for (const r of refs) {
    const info = await rest.resource(r.apiVersion, r.kind);
    if (!info) continue;
    const path = rest.path(r.apiVersion, info, r.namespace, r.name);
    const live = await rest.find(path);
    if (!live) continue;
    if (!isOwnedBy(live, envName)) {
      skipped.push(r);
      continue;
    }
    await rest.request("DELETE", path, { query: { propagationPolicy: "Background" } });
    deleted.push(r);
  }
  return { deleted, skipped };
}

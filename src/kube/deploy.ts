// One phase of `up` on the cluster: apply the phase's waves in order, waiting on each, with
// the inventory written before anything is created and pruning after the last wave.
import type { KubeObject } from "../model/index.js";
import type { KubeRest } from "./rest.js";
import { applyWith, ensureNamespace, hpaTargets, unknownKind } from "./apply.js";
import { prune, readInventory, toPrune, union, writeInventory, type InventoryRef } from "./inventory.js";
import { planWaves } from "./waves.js";
import { waitForObjects } from "./waits.js";

export interface DeployOptions {
  envName: string;
  namespace: string;
  order?: Record<string, { after: string[] }>;
  /** Jobs that run before seeding (seeds' migrate.job). */
  migrationJobs?: string[];
  timeoutMs: number;
  /** Objects (`statefulset/postgres`) to delete with `propagationPolicy=Orphan` and apply again. */
  recreate?: string[];
  log?(line: string): void;
}

export interface PhaseReport {
  waves: { name: string; created: number; changed: number; unchanged: number }[];
  pruned: InventoryRef[];
  /** Objects in the inventory that someone else has since taken over (labels changed): not deleted. */
  leftAlone: InventoryRef[];
}

/** What each object will be known as in the inventory; throws on a kind the cluster does not serve, before any write. */
async function refsFor(rest: KubeRest, objects: KubeObject[], namespace: string): Promise<InventoryRef[]> {
  const refs: InventoryRef[] = [];
  for (const o of objects) {
    const info = await rest.resource(o.apiVersion, o.kind);
    // A custom resource whose CRD is in the same manifests is not served yet: resolve it later.
    if (!info && objects.some((c) => c.kind === "CustomResourceDefinition" && (c.spec as { names?: { kind?: string } })?.names?.kind === o.kind)) {
      refs.push({ apiVersion: o.apiVersion, kind: o.kind, namespace: o.metadata.namespace ?? namespace, name: o.metadata.name });
      continue;
    }
    if (!info) throw unknownKind(o);
    refs.push({ apiVersion: o.apiVersion, kind: o.kind, namespace: info.namespaced ? (o.metadata.namespace ?? namespace) : undefined, name: o.metadata.name });
  }
  return refs;
}

export async function deployPhase(rest: KubeRest, objects: KubeObject[], phase: "data" | "apps", o: DeployOptions): Promise<PhaseReport> {
  const report: PhaseReport = { waves: [], pruned: [], leftAlone: [] };
  const waves = planWaves(objects, o.order, { migrationJobs: o.migrationJobs }).filter((w) => w.phase === phase);
  const refs = await refsFor(rest, objects, o.namespace);
  const previous = await readInventory(rest, o.namespace);
  if (phase === "data") {
    // Record everything this run may create before creating it, so an interrupted run leaks nothing.
    await ensureNamespace(rest, o.namespace, o.envName);
    await writeInventory(rest, o.namespace, o.envName, union(previous, refs));
  }
  // The HPAs come in a later wave than their targets: their targets are known from all objects.
  const scaled = hpaTargets(objects, o.namespace);
  for (const wave of waves) {
    const r = await applyWith(rest, wave.objects, { envName: o.envName, namespace: o.namespace, recreate: o.recreate, hpaTargets: scaled });
    report.waves.push({ name: wave.name, created: r.created, changed: r.changed, unchanged: r.unchanged });
    for (const note of r.notes ?? []) o.log?.(note);
    o.log?.(`${wave.name}: ${r.created} created, ${r.changed} changed, ${r.unchanged} unchanged`);
    await waitForObjects(rest, wave.objects, o.timeoutMs, o.namespace);
  }
  if (phase === "apps") {
    const { deleted, skipped } = await prune(rest, toPrune(previous, refs), o.envName);
    report.pruned = deleted;
    report.leftAlone = skipped;
    for (const d of deleted) o.log?.(`pruned ${d.kind}/${d.name} (no longer in the manifests)`);
    for (const s of skipped) o.log?.(`left ${s.kind}/${s.name} in place: it is no longer labelled as this environment's`);
    await writeInventory(rest, o.namespace, o.envName, refs);
  }
  return report;
}

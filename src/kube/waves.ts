// The apply waves, as a pure plan: which objects go together, in which order, and which
// waves are waited on. `order` hints from devenv.ts push objects after the ones they name.
import type { KubeObject } from "../model/index.js";
import { configError } from "../errors/devenv-error.js";
import { orderCycle } from "../config/validate.js";

function cycleText(order: Record<string, { after: string[] }>): string {
  const c = orderCycle(order);
  return c ? `: ${c.join(" → ")}` : "";
}

export interface Wave {
  name: string;
  /** `data` waves run in the apply-data step (before seeding), `apps` waves in apply-apps. */
  phase: "data" | "apps";
  objects: KubeObject[];
}

/**
 * Default waves. Services sit with config rather than last: a StatefulSet's headless Service
 * must exist for its pods' DNS names, and seeding port-forwards through Services before the
 * apps roll out. Anything unknown (custom resources) goes last, after its CRD.
 */
export const DEFAULT_WAVES: { name: string; kinds: string[] }[] = [
  { name: "namespaces", kinds: ["Namespace", "CustomResourceDefinition"] },
  {
    name: "config",
    kinds: ["ConfigMap", "Secret", "ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "PersistentVolumeClaim", "PersistentVolume", "StorageClass", "IngressClass", "PriorityClass", "LimitRange", "ResourceQuota", "Service", "Endpoints"],
  },
  { name: "data", kinds: ["StatefulSet"] },
  // Jobs that seeds name as their migration (seeds.*.migrate.job): the seed SQL needs their schema,
  // so they run before seeding, in the data phase.
  { name: "migrations", kinds: [] },
  { name: "jobs", kinds: ["Job", "CronJob"] },
  { name: "apps", kinds: ["Deployment", "DaemonSet", "ReplicaSet", "Pod"] },
  { name: "expose", kinds: ["Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"] },
];
const MIGRATIONS = DEFAULT_WAVES.findIndex((w) => w.name === "migrations");
const LAST_DATA_WAVE = MIGRATIONS;
const EXPOSE = DEFAULT_WAVES.length - 1;

/** `job/migrate`: how order hints name objects. */
export const refOf = (o: KubeObject) => `${o.kind.toLowerCase()}/${o.metadata.name}`;

function defaultWave(kind: string): number {
  const i = DEFAULT_WAVES.findIndex((w) => w.kinds.includes(kind));
  return i < 0 ? EXPOSE : i;
}

export interface WaveOptions {
  /** Names of Jobs that must complete before seeding (seeds' `migrate.job`). */
  migrationJobs?: string[];
}

export function planWaves(objects: KubeObject[], order: Record<string, { after: string[] }> = {}, opts: WaveOptions = {}): Wave[] {
  const byRef = new Map<string, KubeObject[]>();
  for (const o of objects) byRef.set(refOf(o), [...(byRef.get(refOf(o)) ?? []), o]);
  for (const [ref, hint] of Object.entries(order)) {
    if (!byRef.has(ref.toLowerCase())) throw configError(`order hint for "${ref}", which is not in the manifests`, `order.${ref}`, `name an object as kind/name, one of: ${[...byRef.keys()].slice(0, 8).join(", ")}`);
    for (const dep of hint.after) {
      if (!byRef.has(dep.toLowerCase())) throw configError(`"${ref}" is ordered after "${dep}", which is not in the manifests`, `order.${ref}.after`, "name an object as kind/name, e.g. statefulset/postgres");
    }
  }
  const migrations = new Set(opts.migrationJobs?.map((n) => `job/${n.toLowerCase()}`));
  const wave = new Map<string, number>([...byRef.keys()].map((r) => [r, migrations.has(r) ? MIGRATIONS : defaultWave(byRef.get(r)![0]!.kind)]));
  // Relax until stable: an object sits one wave after the latest of its dependencies.
  for (let round = 0; ; round++) {
    let moved = false;
    for (const [ref, hint] of Object.entries(order)) {
      const need = Math.max(...hint.after.map((d) => wave.get(d.toLowerCase())! + 1));
      if (need > wave.get(ref.toLowerCase())!) {
        wave.set(ref.toLowerCase(), need);
        moved = true;
      }
    }
    if (!moved) break;
    if (round > byRef.size) throw configError(`order hints form a cycle${cycleText(order)}`, "order", "remove one of the `after` entries that point back at each other");
  }
  const out: Wave[] = [];
  for (const o of objects) {
    const i = wave.get(refOf(o))!;
    const name = DEFAULT_WAVES[i]?.name ?? `wave ${i + 1}`;
    out[i] ??= { name, phase: i <= LAST_DATA_WAVE ? "data" : "apps", objects: [] };
    out[i]!.objects.push(o);
  }
  // Inside a wave, kinds keep the listed order (ConfigMaps before the Services...), objects of a kind keep the manifests' order.
  const rank = (k: string) => DEFAULT_WAVES.flatMap((w) => w.kinds).indexOf(k) >>> 0;
  for (const w of out) if (w) w.objects.sort((a, b) => rank(a.kind) - rank(b.kind));
  return out.filter(Boolean);
}

/** Kinds whose readiness a wave waits for. */
export const WAITED_KINDS = new Set(["StatefulSet", "Deployment", "DaemonSet", "Job", "Pod"]);

/** One line per wave for --dry-run: `apps: Deployment/api, Deployment/web → wait rollout`. */
export function describeWaves(waves: Wave[]): string[] {
  return waves.map((w) => {
    const names = w.objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ");
    const waited = w.objects.filter((o) => WAITED_KINDS.has(o.kind));
    return `${w.name}: ${names}${waited.length ? ` → wait until ${waited.some((o) => o.kind === "Job") ? "complete/ready" : "ready"}` : ""}`;
  });
}

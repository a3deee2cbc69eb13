// Everything the rules read, computed once per comparison: the pairs, indexes of the
// Kubernetes objects, DNS scope, and helpers to find a workload's Services and PVCs. Pure.
import type { ComposeProject } from "../compose/model.js";
import type { KubeObject } from "../model/index.js";
import type { DnsScope } from "./dns.js";
import type { FindingSink } from "./findings.js";
import type { Pair } from "./match.js";
import { podTemplateOf, type Container } from "../kube/pod-spec.js";
import { resolveContainerEnv, serviceLinkNames, type ResolvedVar } from "./resolve-env.js";
import { byName, selects, type Workload } from "./workloads.js";

/** A devenv.ts image as compare needs it. */
export interface ImageInfo {
  repository: string;
  /** Absolute build context. */
  context: string;
  dockerfile: string;
}

export interface RuleContext {
  project: ComposeProject;
  objects: KubeObject[];
  workloads: Workload[];
  pairs: Pair[];
  unmatched: Workload[];
  namespace: string;
  dns: DnsScope;
  configMaps: Map<string, KubeObject>;
  secrets: Map<string, KubeObject>;
  pvcs: Map<string, KubeObject>;
  images: ImageInfo[];
  /** devenv.ts `order`: `kind/name` → objects it runs after. */
  order: Record<string, { after: string[] }>;
  sink: FindingSink;
}

/** `Deployment/api`. */
export function ref(w: Workload): string {
  return `${w.kind}/${w.name}`;
}

/** The environment container `c` of `w` gets, with the Service variables its namespace offers. */
export function envOf(ctx: Pick<RuleContext, "objects" | "configMaps" | "secrets" | "namespace">, w: Workload, c: Container): Map<string, ResolvedVar> {
  const links = (podTemplateOf(w.object)?.spec as { enableServiceLinks?: boolean } | undefined)?.enableServiceLinks !== false;
  return resolveContainerEnv(c, ctx.configMaps, ctx.secrets, linkNames(ctx, w.namespace ?? ctx.namespace, links));
}

/** serviceLinkNames once per object list and namespace: every rule asks for every container's env. */
const linkCache = new WeakMap<KubeObject[], Map<string, Set<string>>>();
function linkNames(ctx: Pick<RuleContext, "objects" | "namespace">, namespace: string, links: boolean): Set<string> {
  const byKey = linkCache.get(ctx.objects) ?? linkCache.set(ctx.objects, new Map()).get(ctx.objects)!;
  const key = `${namespace}\0${ctx.namespace}\0${links}`;
  return byKey.get(key) ?? byKey.set(key, serviceLinkNames(ctx.objects, namespace, ctx.namespace, links)).get(key)!;
}

/** Services whose selector picks the workload's pods. */
export function servicesFor(ctx: Pick<RuleContext, "objects">, w: Workload): KubeObject[] {
  return ctx.objects.filter((o) => o.kind === "Service" && selects(o, w.podLabels));
}

/** HPA scaling the workload, if any: its min and max replicas. */
export function hpaFor(ctx: Pick<RuleContext, "objects">, w: Workload): { min: number; max: number } | undefined {
  const hpa = ctx.objects.find((o) => {
    const t = (o.spec as Record<string, any> | undefined)?.scaleTargetRef;
    return o.kind === "HorizontalPodAutoscaler" && t?.kind === w.kind && t?.name === w.name;
  });
  const spec = hpa?.spec as Record<string, any> | undefined;
  return spec ? { min: Number(spec.minReplicas ?? 1), max: Number(spec.maxReplicas) } : undefined;
}

/** Builds the lookup tables; `namespace` defaults to the one most workloads use. */
export function indexObjects(objects: KubeObject[], namespace?: string): Pick<RuleContext, "configMaps" | "secrets" | "pvcs" | "namespace"> {
  const counts = new Map<string, number>();
  for (const o of objects) if (o.metadata.namespace) counts.set(o.metadata.namespace, (counts.get(o.metadata.namespace) ?? 0) + 1);
  const common = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return { configMaps: byName(objects, "ConfigMap"), secrets: byName(objects, "Secret"), pvcs: byName(objects, "PersistentVolumeClaim"), namespace: namespace ?? common ?? "default" };
}

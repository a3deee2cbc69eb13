// Rules replicas.mismatch and resources.mismatch: deploy.replicas ↔ replicas (or the HPA
// range), deploy.resources limits/reservations ↔ resources limits/requests; hpa.no-requests:
// an HPA target whose containers lack the requests its Utilization metrics are a share of.
import type { ComposeResourceSet } from "../../compose/model.js";
import type { KubeObject } from "../../model/index.js";
import { hpaFor, ref, type RuleContext } from "../context.js";
import type { Workload } from "../workloads.js";
import { formatBytes, formatCpus, parseQuantity } from "../quantity.js";

export function checkScale(ctx: RuleContext): void {
  for (const { service: s, workload: w, container: c } of ctx.pairs) {
    if (!w || !c) continue;
    const at = ref(w);
    if (w.replicas !== undefined) {
      // A StatefulSet whose pods play several compose services (one per member): their sum.
      const members = ctx.pairs.filter((p) => p.replicaOf?.service === s);
      const want = [s, ...members.map((p) => p.service)].reduce((n, x) => n + (x.replicas ?? 1), 0);
      const hpa = hpaFor(ctx, w);
      if (hpa ? want >= hpa.min && want <= hpa.max : want === w.replicas) ctx.sink.ok(s.name, `replicas ${want}${hpa ? ` (HPA ${hpa.min}-${hpa.max})` : ""}`);
      else ctx.sink.add("replicas.mismatch", s.name, `replicas: compose ${want} ≠ k8s ${hpa ? `HPA ${hpa.min}-${hpa.max}` : w.replicas}`, { workload: at, compose: String(want), k8s: hpa ? `${hpa.min}-${hpa.max}` : String(w.replicas) });
    }
    compareSet(ctx, s.name, at, "limits", s.resources?.limits, c.resources?.limits);
    compareSet(ctx, s.name, at, "reservations ↔ requests", s.resources?.reservations, c.resources?.requests);
    checkHpaRequests(ctx, s.name, w);
  }
}

/** The resources an HPA's Utilization metrics scale on (an HPA without metrics defaults to 80% cpu). */
function utilizationResources(hpa: KubeObject): string[] {
  const spec = (hpa.spec ?? {}) as Record<string, any>;
  if (spec.targetCPUUtilizationPercentage !== undefined) return ["cpu"];
  const metrics = Array.isArray(spec.metrics) ? (spec.metrics as Record<string, any>[]) : undefined;
  if (!metrics) return ["cpu"];
  const named = metrics.flatMap((m) => {
    const r = m.type === "Resource" ? m.resource : m.type === "ContainerResource" ? m.containerResource : undefined;
    return r?.target?.type === "Utilization" && typeof r.name === "string" ? [r.name as string] : [];
  });
  return [...new Set(named)];
}

function checkHpaRequests(ctx: RuleContext, service: string, w: Workload): void {
  const hpa = ctx.objects.find((o) => {
    const t = (o.spec as Record<string, any> | undefined)?.scaleTargetRef;
    return o.kind === "HorizontalPodAutoscaler" && t?.kind === w.kind && t?.name === w.name;
  });
  if (!hpa) return;
  const missing: string[] = [];
  for (const res of utilizationResources(hpa)) {
    for (const c of w.containers) if (c.resources?.requests?.[res] === undefined) missing.push(`${c.name} has no ${res} request`);
  }
  if (missing.length) {
    ctx.sink.add("hpa.no-requests", service, `HorizontalPodAutoscaler/${hpa.metadata.name} scales ${ref(w)} on utilization, but ${missing.join(", ")} (the HPA cannot compute it and never scales)`, { workload: ref(w) });
  } else ctx.sink.ok(service, `HPA ${hpa.metadata.name}: requests set for its metrics`);
}

function compareSet(ctx: RuleContext, service: string, at: string, what: string, compose: ComposeResourceSet | undefined, k8s: Record<string, string | number> | undefined): void {
  const diffs: string[] = [];
  const same: string[] = [];
  const cpu = parseQuantity(k8s?.cpu);
  const mem = parseQuantity(k8s?.memory);
  if (compose?.cpus !== undefined) (cpu !== undefined && Math.abs(cpu - compose.cpus) < 1e-9 ? same : diffs).push(`cpu ${formatCpus(compose.cpus)}${cpu !== undefined && Math.abs(cpu - compose.cpus) < 1e-9 ? "" : ` ≠ ${k8s?.cpu ?? "(none)"}`}`);
  if (compose?.memoryBytes !== undefined) (mem === compose.memoryBytes ? same : diffs).push(`memory ${formatBytes(compose.memoryBytes)}${mem === compose.memoryBytes ? "" : ` ≠ ${k8s?.memory ?? "(none)"}`}`);
  if (diffs.length) ctx.sink.add("resources.mismatch", service, `${what}: ${diffs.join(", ")} (compose ≠ k8s)`, { workload: at });
  else if (same.length) ctx.sink.ok(service, `${what.split(" ")[0]} ${same.join(", ")}`);
}

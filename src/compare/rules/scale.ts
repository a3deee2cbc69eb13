// Rules replicas.mismatch and resources.mismatch: deploy.replicas ↔ replicas (or the HPA
// range), deploy.resources limits/reservations ↔ resources limits/requests.
import type { ComposeResourceSet } from "../../compose/model.js";
import { hpaFor, ref, type RuleContext } from "../context.js";
import { formatBytes, formatCpus, parseQuantity } from "../quantity.js";

export function checkScale(ctx: RuleContext): void {
  for (const { service: s, workload: w, container: c } of ctx.pairs) {
    if (!w || !c) continue;
    const at = ref(w);
    if (w.replicas !== undefined) {
      const want = s.replicas ?? 1;
      const hpa = hpaFor(ctx, w);
      if (hpa ? want >= hpa.min && want <= hpa.max : want === w.replicas) ctx.sink.ok(s.name, `replicas ${want}${hpa ? ` (HPA ${hpa.min}-${hpa.max})` : ""}`);
      else ctx.sink.add("replicas.mismatch", s.name, `replicas: compose ${want} ≠ k8s ${hpa ? `HPA ${hpa.min}-${hpa.max}` : w.replicas}`, { workload: at, compose: String(want), k8s: hpa ? `${hpa.min}-${hpa.max}` : String(w.replicas) });
    }
    compareSet(ctx, s.name, at, "limits", s.resources?.limits, c.resources?.limits);
    compareSet(ctx, s.name, at, "reservations ↔ requests", s.resources?.reservations, c.resources?.requests);
  }
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

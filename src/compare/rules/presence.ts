// Rules service.missing, workload.missing, service.kind: is every service on both sides, as
// the right kind of workload (one-shot compose services ↔ Jobs)?
import { isOneShot } from "../../compose/roles.js";
import { ref, type RuleContext } from "../context.js";

export function checkPresence(ctx: RuleContext): void {
  for (const p of ctx.pairs) {
    const s = p.service;
    const oneShot = isOneShot(ctx.project, s);
    if (!p.workload) {
      ctx.sink.add("service.missing", s.name, oneShot ? `one-shot service "${s.name}" has no Job in the manifests` : `service "${s.name}" has no workload in the manifests`);
      continue;
    }
    const isJob = p.workload.kind === "Job" || p.workload.kind === "CronJob";
    if (oneShot && !isJob) ctx.sink.add("service.kind", s.name, `"${s.name}" runs once in compose but is a ${p.workload.kind} in Kubernetes (restarted forever)`, { workload: ref(p.workload) });
    else if (!oneShot && isJob) ctx.sink.add("service.kind", s.name, `"${s.name}" keeps running in compose but is a ${p.workload.kind} in Kubernetes`, { workload: ref(p.workload) });
    else ctx.sink.ok(s.name, `${ref(p.workload)}${p.by && p.by !== "name" ? ` (matched by ${p.by})` : ""}`);
  }
  for (const w of ctx.unmatched) {
    ctx.sink.add("workload.missing", w.name, `${ref(w)} has no compose service`, { workload: ref(w) });
  }
}

// Rule order.missing: compose `depends_on: {x: {condition: service_completed_successfully}}`
// needs x to be a Job AND the dependant ordered after it: a devenv.ts `order` entry or an
// initContainer that waits for it. (service_healthy is covered by readiness probes.)
import { ref, type RuleContext } from "../context.js";

export function checkOrder(ctx: RuleContext): void {
  const workloadOf = new Map(ctx.pairs.filter((p) => p.workload).map((p) => [p.service.name, p.workload!]));
  for (const { service: s, workload: w } of ctx.pairs) {
    if (!w) continue;
    for (const [dep, d] of Object.entries(s.dependsOn)) {
      if (d.condition !== "service_completed_successfully") continue;
      const job = workloadOf.get(dep);
      if (!job) continue; // service.missing already says so
      const after = ctx.order[`${w.kind.toLowerCase()}/${w.name}`]?.after ?? [];
      const byOrder = after.some((a) => a.toLowerCase() === `${job.kind.toLowerCase()}/${job.name}`);
      const byInit = w.initContainers.some((c) => [...(c.command ?? []), ...(c.args ?? [])].join(" ").includes(job.name));
      if (byOrder || byInit) ctx.sink.ok(s.name, `runs after ${ref(job)} (${byOrder ? "devenv order" : "initContainer"})`);
      else ctx.sink.add("order.missing", s.name, `compose starts "${s.name}" only after "${dep}" completed; nothing orders ${ref(w)} after ${ref(job)}`, { workload: ref(w), hint: `add to devenv.ts: order: { "${w.kind.toLowerCase()}/${w.name}": { after: ["${job.kind.toLowerCase()}/${job.name}"] } }, or an initContainer that waits for the Job` });
    }
  }
}

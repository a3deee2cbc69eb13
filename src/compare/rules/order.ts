// Rule order.missing: compose `depends_on: {x: {condition: service_completed_successfully}}`
// needs x to run to completion before the dependant starts. In Kubernetes that takes a Job AND
// an ordering: devenv's apply waves (Jobs complete before Deployments/DaemonSets/Pods), a
// devenv.ts `order` entry, or an initContainer that waits. (service_healthy ↔ readiness probes.)
import { ref, type RuleContext } from "../context.js";
import type { Workload } from "../workloads.js";

/** Kinds devenv applies in a wave after Jobs have completed (src/kube/waves.ts). */
const AFTER_JOBS = new Set(["Deployment", "DaemonSet", "Pod"]);

export function checkOrder(ctx: RuleContext): void {
  const workloadOf = new Map(ctx.pairs.filter((p) => p.workload).map((p) => [p.service.name, p.workload!]));
  for (const { service: s, workload: w } of ctx.pairs) {
    if (!w) continue;
    for (const [dep, d] of Object.entries(s.dependsOn)) {
      if (d.condition !== "service_completed_successfully") continue;
      const job = workloadOf.get(dep);
      const how = job && (job.kind === "Job" ? orderedBy(ctx, w, job) : undefined);
      if (how) ctx.sink.ok(s.name, `runs after ${ref(job!)} (${how})`);
      else {
        const what = !job ? `there is no Job for "${dep}"` : job.kind !== "Job" ? `${ref(job)} is not a Job, so nothing waits for it to complete` : `nothing orders ${ref(w)} after ${ref(job)}`;
        const target = job?.kind === "Job" ? `job/${job.name}` : `job/${dep}`;
        ctx.sink.add("order.missing", s.name, `compose starts "${s.name}" only after "${dep}" completed; ${what}`, { workload: ref(w), hint: `run "${dep}" as a Job and order ${ref(w)} after it: devenv.ts order: { "${w.kind.toLowerCase()}/${w.name}": { after: ["${target}"] } }, or an initContainer that waits for it` });
      }
    }
  }
}

/** How `w` is kept after `job`, if it is. */
function orderedBy(ctx: RuleContext, w: Workload, job: Workload): string | undefined {
  const after = ctx.order[`${w.kind.toLowerCase()}/${w.name}`]?.after ?? [];
  if (after.some((a) => a.toLowerCase() === `job/${job.name}`)) return "devenv order";
  if (w.initContainers.some((c) => [...(c.command ?? []), ...(c.args ?? [])].join(" ").includes(job.name))) return "initContainer";
  if (AFTER_JOBS.has(w.kind)) return "devenv waves: Jobs complete before apps";
  return undefined;
}

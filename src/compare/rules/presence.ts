// Rules service.missing, workload.missing, service.kind, service.network: is every service on
// both sides, as the right kind of workload (one-shot compose services ↔ Jobs), in the same pod
// as the service whose network it joins (network_mode: service:X)?
import { isOneShot, networkOwner } from "../../compose/roles.js";
import { ref, type RuleContext } from "../context.js";
import { runsOnce } from "./ports.js";

export function checkPresence(ctx: RuleContext): void {
  for (const p of ctx.pairs) {
    const s = p.service;
    const oneShot = isOneShot(ctx.project, s);
    const owner = networkOwner(s);
    const host = owner ? ctx.pairs.find((q) => q.service.name === owner && q.service !== s) : undefined;
    if (!p.workload && p.replicaOf?.workload) {
      ctx.sink.ok(s.name, `a pod of ${ref(p.replicaOf.workload)}, like ${p.replicaOf.service.name} (one compose service per member)`);
      continue;
    }
    if (!p.workload) {
      const sidecar = owner ? ` (a sidecar: network_mode: service:${owner})` : "";
      ctx.sink.add("service.missing", s.name, oneShot ? `one-shot service "${s.name}"${sidecar} has no Job in the manifests` : `service "${s.name}"${sidecar} has no ${owner ? `container in the manifests${host?.workload ? `, in the pod of ${ref(host.workload)} or elsewhere` : ""}` : "workload in the manifests"}`);
      continue;
    }
    // Containers of one pod share its network namespace, as network_mode: service:X shares X's.
    if (host?.workload && host.workload !== p.workload) {
      ctx.sink.add("service.network", s.name, `"${s.name}" shares ${owner}'s network in compose (network_mode: service:${owner}), but runs in ${ref(p.workload)}, not in the pod of ${ref(host.workload)}: localhost no longer reaches ${owner}`, { workload: ref(p.workload) });
    }
    const isJob = p.workload.kind === "Job" || p.workload.kind === "CronJob" || runsOnce(p.workload.object);
    if (oneShot && !isJob) ctx.sink.add("service.kind", s.name, `"${s.name}" runs once in compose but is a ${p.workload.kind} in Kubernetes (restarted forever)`, { workload: ref(p.workload) });
    // `restart: on-failure` retries a failed run and stops after a successful one: what a Job or a
    // Pod with restartPolicy OnFailure does.
    else if (!oneShot && isJob && !/^on-failure/.test(s.restart ?? "")) ctx.sink.add("service.kind", s.name, `"${s.name}" keeps running in compose but is a ${isJob && p.workload.kind === "Pod" ? "run-once Pod" : p.workload.kind} in Kubernetes`, { workload: ref(p.workload) });
    else ctx.sink.ok(s.name, `${ref(p.workload)}${p.by && p.by !== "name" ? ` (matched by ${p.by})` : ""}`);
  }
  // A container of a paired workload that plays no compose service (a sidecar only Kubernetes runs).
  const playing = new Set(ctx.pairs.map((p) => p.container));
  for (const p of ctx.pairs) {
    if (!p.workload || ctx.pairs.find((q) => q.workload === p.workload) !== p) continue;
    for (const c of p.workload.containers) {
      if (!playing.has(c)) ctx.sink.add("container.extra", p.service.name, `${ref(p.workload)} also runs container "${c.name}" (${c.image ?? "no image"}), which plays no compose service`, { workload: ref(p.workload), k8s: c.image });
    }
  }
  for (const w of ctx.unmatched) {
    ctx.sink.add("workload.missing", w.name, `${ref(w)} has no compose service`, { workload: ref(w) });
  }
}

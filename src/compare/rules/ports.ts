// Rules port.*: compose ports/expose ↔ containerPort ↔ Service port/targetPort.
import { ref, servicesFor, type RuleContext } from "../context.js";
import { mainContainer } from "../workloads.js";

export function checkPorts(ctx: RuleContext): void {
  for (const { service: s, workload: w } of ctx.pairs) {
    const c = w && mainContainer(w, s.name);
    if (!w || !c || w.kind === "Job" || w.kind === "CronJob") continue;
    const at = ref(w);
    const composePorts = [...new Set([...s.ports.map((p) => p.target), ...s.expose])].sort((a, b) => a - b);
    const containerPorts = (c.ports ?? []).map((p) => p.containerPort);
    const services = servicesFor(ctx, w);
    const targets: number[] = [];
    for (const svc of services) {
      for (const sp of ((svc.spec as Record<string, any>).ports ?? []) as { port: number; targetPort?: number | string; name?: string }[]) {
        const tp = sp.targetPort ?? sp.port;
        const num = typeof tp === "number" ? tp : /^\d+$/.test(tp) ? Number(tp) : c.ports?.find((p) => p.name === tp)?.containerPort;
        if (num === undefined) ctx.sink.add("port.service", s.name, `Service/${svc.metadata.name} targets port "${tp}", which no container port is named`, { workload: at, k8s: String(tp) });
        else if (containerPorts.length && !containerPorts.includes(num)) ctx.sink.add("port.service", s.name, `Service/${svc.metadata.name} port ${sp.port} → targetPort ${num}, but the container listens on ${containerPorts.join(", ")}`, { workload: at, k8s: String(num) });
        else targets.push(num);
      }
    }
    const k8sPorts = new Set([...containerPorts, ...targets]);
    const missing = composePorts.filter((p) => !k8sPorts.has(p));
    if (missing.length) {
      ctx.sink.add("port.mismatch", s.name, `compose listens on ${missing.join(", ")}, k8s on ${[...k8sPorts].sort((a, b) => a - b).join(", ") || "no declared port"}`, { workload: at, compose: composePorts.join(","), k8s: [...k8sPorts].join(",") });
    } else if (composePorts.length) ctx.sink.ok(s.name, `ports ${composePorts.join(", ")}`);
    if (composePorts.length && !services.length) ctx.sink.add("port.no-service", s.name, `no Service selects the pods of ${at}, so "${s.name}:${composePorts[0]}" does not resolve in the cluster`, { workload: at });
  }
}

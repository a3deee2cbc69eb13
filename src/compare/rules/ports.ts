// Rules port.*: compose ports/expose ↔ containerPort ↔ Service port/targetPort, protocol
// included (`53:53/udp` ↔ protocol: UDP). A Service targetPort that is missing or 0 means its
// port; a named one resolves against every container of the selected pods, so a Service may
// target a sidecar's port: that port is the sidecar's, not the service's.
import type { Container } from "../../kube/pod-spec.js";
import { ref, servicesFor, type RuleContext } from "../context.js";

interface ServicePort {
  port: number;
  targetPort?: number | string;
  name?: string;
  protocol?: string;
}

/** `80/tcp`. */
const key = (port: number, protocol?: string) => `${port}/${(protocol ?? "TCP").toLowerCase()}`;
/** `80` for TCP, `53/udp` otherwise. */
const show = (keys: Iterable<string>) => [...keys].sort(sortKeys).map((k) => k.replace(/\/tcp$/, "")).join(", ");
const sortKeys = (a: string, b: string) => parseInt(a) - parseInt(b) || a.localeCompare(b);

export function checkPorts(ctx: RuleContext): void {
  for (const { service: s, workload: w, container: c } of ctx.pairs) {
    if (!w || !c || w.kind === "Job" || w.kind === "CronJob" || runsOnce(w.object)) continue;
    const at = ref(w);
    const composePorts = [...new Set([...s.ports.map((p) => key(p.target, p.protocol)), ...s.expose.map((p) => key(p))])].sort(sortKeys);
    const containerPorts = (c.ports ?? []).map((p) => key(p.containerPort, p.protocol));
    const others = w.containers.filter((x) => x !== c);
    const declaredBy = (port: number, proto: string | undefined, list: Container[]) => list.some((x) => (x.ports ?? []).some((p) => key(p.containerPort, p.protocol) === key(port, proto)));
    const anyDeclared = w.containers.some((x) => (x.ports ?? []).length > 0);
    const services = servicesFor(ctx, w);
    const targets: string[] = [];
    for (const svc of services) {
      for (const sp of ((svc.spec as Record<string, any>).ports ?? []) as ServicePort[]) {
        const tp = sp.targetPort === undefined || sp.targetPort === 0 || sp.targetPort === "0" || sp.targetPort === "" ? sp.port : sp.targetPort;
        if (typeof tp === "string" && !/^\d+$/.test(tp)) {
          const owner = w.containers.find((x) => (x.ports ?? []).some((p) => p.name === tp));
          if (!owner) ctx.sink.add("port.service", s.name, `Service/${svc.metadata.name} targets port "${tp}", which no container of ${at} names`, { workload: at, k8s: tp });
          else if (owner === c) targets.push(key(c.ports!.find((p) => p.name === tp)!.containerPort, sp.protocol));
          continue;
        }
        const num = Number(tp);
        if (declaredBy(num, sp.protocol, [c])) targets.push(key(num, sp.protocol));
        else if (declaredBy(num, sp.protocol, others)) continue; // a sidecar's port
        else if (anyDeclared) ctx.sink.add("port.service", s.name, `Service/${svc.metadata.name} port ${sp.port} → targetPort ${show([key(num, sp.protocol)])}, but the container${w.containers.length > 1 ? "s" : ""} listen${w.containers.length > 1 ? "" : "s"} on ${show(w.containers.flatMap((x) => (x.ports ?? []).map((p) => key(p.containerPort, p.protocol))))}`, { workload: at, k8s: show([key(num, sp.protocol)]) });
        else targets.push(key(num, sp.protocol));
      }
    }
    const k8sPorts = new Set([...containerPorts, ...targets]);
    const missing = composePorts.filter((p) => !k8sPorts.has(p));
    if (missing.length) {
      ctx.sink.add("port.mismatch", s.name, `compose listens on ${show(missing)}, k8s on ${show(k8sPorts) || "no declared port"}`, { workload: at, compose: show(composePorts).replace(/ /g, ""), k8s: show(k8sPorts).replace(/ /g, "") });
    } else if (composePorts.length) ctx.sink.ok(s.name, `ports ${show(composePorts)}`);
    if (composePorts.length && !services.length) ctx.sink.add("port.no-service", s.name, `no Service selects the pods of ${at}, so "${s.name}:${parseInt(composePorts[0]!)}" does not resolve in the cluster`, { workload: at });
  }
}

/** A Pod with restartPolicy Never / OnFailure runs once, like a Job. */
export function runsOnce(o: { kind: string; spec?: unknown }): boolean {
  const rp = (o.spec as Record<string, any> | undefined)?.restartPolicy;
  return o.kind === "Pod" && (rp === "Never" || rp === "OnFailure");
}

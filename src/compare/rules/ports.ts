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
  for (const pair of ctx.pairs) {
    const { service: s, workload: w, container: c } = pair;
    if (!w || !c || w.kind === "Job" || w.kind === "CronJob" || runsOnce(w.object)) continue;
    const at = ref(w);
    const composePorts = [...new Set([...s.ports.map((p) => key(p.target, p.protocol)), ...s.expose.map((p) => key(p))])].sort(sortKeys);
    const containerPorts = (c.ports ?? []).map((p) => key(p.containerPort, p.protocol));
    const others = w.containers.filter((x) => x !== c);
    const declaredBy = (port: number, proto: string | undefined, list: Container[]) => list.some((x) => (x.ports ?? []).some((p) => key(p.containerPort, p.protocol) === key(port, proto)));
    const anyDeclared = w.containers.some((x) => (x.ports ?? []).length > 0);
    const services = servicesFor(ctx, w);
    const targets: string[] = [];
    // Set when a Service port of this pair has no endpoint, or targets an undeclared port: that
    // port.service / port.undeclared finding says why a port is not forwarded.
    let broken = false;
    const serviceFinding: typeof ctx.sink.add = (...args) => {
      broken = true;
      ctx.sink.add(...args);
    };
    for (const svc of services) {
      for (const sp of ((svc.spec as Record<string, any>).ports ?? []) as ServicePort[]) {
        const tp = sp.targetPort === undefined || sp.targetPort === 0 || sp.targetPort === "0" || sp.targetPort === "" ? sp.port : sp.targetPort;
        if (typeof tp === "string" && !/^\d+$/.test(tp)) {
          // Kubernetes resolves a named targetPort by name AND protocol (a UDP Service port never
          // reaches a TCP containerPort of that name): the Service gets no endpoint for it.
          const proto = (sp.protocol ?? "TCP").toUpperCase();
          const owner = w.containers.find((x) => (x.ports ?? []).some((p) => p.name === tp && (p.protocol ?? "TCP").toUpperCase() === proto));
          const sameName = w.containers.flatMap((x) => (x.ports ?? []).filter((p) => p.name === tp).map((p) => ({ x, p })))[0];
          if (!owner && sameName) {
            // Said once: by the pair whose container declares the name (or the workload's first pair).
            if (sameName.x === c || (!ctx.pairs.some((q) => q.container === sameName.x) && ctx.pairs.find((q) => q.workload === w) === pair)) {
              serviceFinding("port.service", s.name, `Service/${svc.metadata.name} port ${sp.port}/${proto.toLowerCase()} targets "${tp}", which container ${sameName.x.name} declares as ${sameName.p.containerPort}/${(sameName.p.protocol ?? "TCP").toLowerCase()}: a named port matches by name and protocol, so this Service port has no endpoint`, { workload: at, k8s: `${tp}/${proto.toLowerCase()}` });
            }
          } else if (!owner) serviceFinding("port.service", s.name, `Service/${svc.metadata.name} targets port "${tp}", which no container of ${at} names`, { workload: at, k8s: tp });
          else if (owner === c) targets.push(key(c.ports!.find((p) => p.name === tp && (p.protocol ?? "TCP").toUpperCase() === proto)!.containerPort, sp.protocol));
          continue;
        }
        const num = Number(tp);
        if (declaredBy(num, sp.protocol, [c])) targets.push(key(num, sp.protocol));
        else if (declaredBy(num, sp.protocol, others)) continue; // a sidecar's port
        // containerPort is informational: Kubernetes forwards a numeric targetPort whether or not a
        // container declares it (Container.ports, kubernetes/kubernetes@815c3d8f
        // staging/src/k8s.io/api/core/v1/types.go). So an undeclared one is a port the compose twin
        // listens on when compose publishes or exposes it, and otherwise only a doubt, not a fault.
        else if (!anyDeclared || composePorts.includes(key(num, sp.protocol))) targets.push(key(num, sp.protocol));
        else serviceFinding("port.undeclared", s.name, `Service/${svc.metadata.name} port ${sp.port} → targetPort ${show([key(num, sp.protocol)])}, which no container declares (declared: ${show(w.containers.flatMap((x) => (x.ports ?? []).map((p) => key(p.containerPort, p.protocol))))}) and compose neither publishes nor exposes: Kubernetes forwards it anyway, so it reaches the pod only if the process listens there`, { workload: at, k8s: show([key(num, sp.protocol)]) });
      }
    }
    const k8sPorts = new Set([...containerPorts, ...targets]);
    const missing = composePorts.filter((p) => !k8sPorts.has(p));
    if (missing.length) {
      ctx.sink.add("port.mismatch", s.name, `compose listens on ${show(composePorts)}, k8s on ${show(k8sPorts) || "no declared port"}${missing.length < composePorts.length ? ` (only in compose: ${show(missing)})` : ""}`, { workload: at, compose: show(composePorts).replace(/ /g, ""), k8s: show(k8sPorts).replace(/ /g, "") });
    } else if (composePorts.length) ctx.sink.ok(s.name, `ports ${show(composePorts)}`);
    // A DaemonSet-style agent reached on the node's IP (hostPort; clients use status.hostIP) needs no Service.
    const onNode = composePorts.length > 0 && composePorts.every((cp) => (c.ports ?? []).some((p) => p.hostPort && key(p.containerPort, p.protocol) === cp));
    if (onNode && !services.length) ctx.sink.ok(s.name, `ports ${show(composePorts)} on the node's IP (hostPort)`);
    else if (composePorts.length && !services.length) ctx.sink.add("port.no-service", s.name, `no Service selects the pods of ${at}, so "${s.name}:${parseInt(composePorts[0]!)}" does not resolve in the cluster`, { workload: at });
    // A Service forwards only the ports it lists; a headless one (clusterIP: None) resolves to the
    // pods themselves, every port open. A port the container declares but no Service forwards is
    // reachable by name in compose and not in the cluster (a hostPort is reached on the node's IP).
    const headless = services.some((svc) => (svc.spec as Record<string, any> | undefined)?.clusterIP === "None");
    const forwarded = new Set(targets);
    const unforwarded = composePorts.filter((p) => k8sPorts.has(p) && !forwarded.has(p) && !(c.ports ?? []).some((x) => x.hostPort && key(x.containerPort, x.protocol) === p));
    if (services.length && !headless && !broken && unforwarded.length) {
      ctx.sink.add("port.no-service", s.name, `no Service forwards ${show(unforwarded)} of ${at} (${services.map((svc) => `Service/${svc.metadata.name}`).join(", ")} forward${services.length > 1 ? "" : "s"} ${show(forwarded) || "none of its ports"}), so "${s.name}:${parseInt(unforwarded[0]!)}" does not connect in the cluster`, { workload: at, compose: show(unforwarded).replace(/ /g, ""), k8s: show(forwarded).replace(/ /g, "") });
    }
  }
}

/** A Pod with restartPolicy Never / OnFailure runs once, like a Job. */
export function runsOnce(o: { kind: string; spec?: unknown }): boolean {
  const rp = (o.spec as Record<string, any> | undefined)?.restartPolicy;
  return o.kind === "Pod" && (rp === "Never" || rp === "OnFailure");
}

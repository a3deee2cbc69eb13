// Doctor checks of the host ports the compose setup publishes (its `ports:`), beside the ingress
// ports: each fixed TCP host port must be free, or held by this stack's own container.
import type { ComposeProject } from "../compose/model.js";
import { portFree, portOwner } from "../docker/host-ports.js";
import type { Check } from "./check.js";
import type { CheckResult } from "./check.js";

/** A host port a compose service publishes. */
export interface PublishedPort {
  service: string;
  port: number;
  protocol: string;
  /** `file:line` of the port, or the file of the service. */
  where: string;
}

/** The fixed host ports of the enabled services, in service order (ranges expanded; `127.0.0.1::80`, no host port, left out). Pure. */
export function publishedPorts(project: Pick<ComposeProject, "services">): PublishedPort[] {
  const out: PublishedPort[] = [];
  for (const svc of Object.values(project.services)) {
    svc.ports.forEach((p, i) => {
      const m = p.published === undefined ? null : /^(\d+)(?:-(\d+))?$/.exec(p.published.trim());
      if (!m) return;
      const from = Number(m[1]);
      const to = Math.min(Number(m[2] ?? m[1]), from + 64);
      for (let port = from; port <= to; port++) {
        if (port > 0 && !out.some((o) => o.port === port && o.protocol === p.protocol)) {
          out.push({ service: svc.name, port, protocol: p.protocol, where: svc.locations[`ports.${i}`] ?? `${svc.file} (services.${svc.name}.ports)` });
        }
      }
    });
  }
  return out;
}

/** Free, held by this compose project's own container (already up), or held by something else. Pure. */
export function composePortVerdict(p: PublishedPort, free: boolean, owner: string | undefined, project: string): Omit<CheckResult, "id" | "title"> {
  if (free) return { status: "ok", detail: "free" };
  const container = owner?.startsWith("container ") ? owner.slice("container ".length) : undefined;
  if (container && (container.startsWith(`${project}-`) || container.startsWith(`${project}_`))) {
    return { status: "ok", detail: `held by this stack's container ${container} (already up)` };
  }
  return {
    status: "warn",
    detail: `in use${owner ? ` by ${owner}` : ""}: compose service ${p.service} publishes it (${p.where})`,
    hint: `stop ${owner ?? "what listens on it"}, or publish ${p.service} on another host port in the compose file`,
  };
}

/** One check per fixed TCP host port of the compose setup (a bind test sees TCP only). */
export function composePortChecks(ports: PublishedPort[], project: string): Check[] {
  return ports
    .filter((p) => p.protocol === "tcp")
    .map((p) => ({
      id: `compose-port-${p.port}`,
      title: `port ${p.port} (compose ${p.service})`,
      run: async () => {
        const free = await portFree(p.port);
        return composePortVerdict(p, free, free ? undefined : await portOwner(p.port), project);
      },
    }));
}

// `devenv status --target compose`: each service of the compose setup, what its containers are
// doing (state, health), the host ports they publish and the URLs those give. The containers
// come from composePs (the engine's compose labels, the same for compose v1 and v2).
import type { LoadedEnv } from "../config/load.js";
import type { Style } from "../ui/style.js";
import type { ComposeProject } from "./model.js";
import { composeProjectName } from "./project-name.js";
import { isOneShot } from "./roles.js";
import { composePs, loadEnvCompose, serviceVerdict, type ServiceState } from "./run.js";

/** ready: running (and healthy); done: a one-shot that exited 0; starting: not ready yet; failed: exited otherwise; stopped: no container. */
export type ComposeServiceVerdict = "ready" | "done" | "starting" | "failed" | "stopped";

export interface ComposeServiceStatus {
  service: string;
  state: ComposeServiceVerdict;
  /** Containers running / containers of the service. */
  running: number;
  containers: number;
  /** `running (healthy)`, `exited, exit code 1`, `no container`. */
  detail: string;
  /** healthy / unhealthy / starting; absent without a healthcheck (or without a container). */
  health?: string;
  /** `8080->80/tcp`, one per published host port. */
  ports: string[];
  /** Declared in the compose files (false: a leftover container of the project). */
  declared: boolean;
}

export interface ComposeStatus {
  project: string;
  services: ComposeServiceStatus[];
  /** http://localhost:<port> for each published TCP port of a running service. */
  urls: string[];
}

/** The project's status from its declared services and its containers. Pure. */
export function composeStatusOf(project: ComposeProject, name: string, states: ServiceState[]): ComposeStatus {
  const declared = Object.keys(project.services);
  const extra = [...new Set(states.map((s) => s.service))].filter((s) => !declared.includes(s)).sort();
  const services = [...declared, ...extra].map((svc): ComposeServiceStatus => {
    const mine = states.filter((s) => s.service === svc);
    const def = project.services[svc];
    const oneShot = def ? isOneShot(project, def) : false;
    const running = mine.filter((s) => s.state === "running").length;
    const ports = [...new Set(mine.flatMap((s) => s.ports.map((p) => `${p.host}->${p.container}`)))];
    const first = mine[0];
    const detail = first ? `${first.state}${first.health ? ` (${first.health})` : ""}${first.state === "exited" ? `, exit code ${first.exitCode}` : ""}` : "no container";
    return { service: svc, state: verdictOf(mine, oneShot), running, containers: mine.length, detail, health: first?.health, ports, declared: def !== undefined };
  });
  const urls = [
    ...new Set(
      states
        .filter((s) => s.state === "running")
        .flatMap((s) => s.ports.filter((p) => p.container.endsWith("/tcp")).map((p) => ({ port: p.host, svc: s.service })))
        .sort((a, b) => a.port - b.port)
        .map((u) => `http://localhost:${u.port} (${u.svc})`),
    ),
  ];
  return { project: name, services, urls };
}

function verdictOf(states: ServiceState[], oneShot: boolean): ComposeServiceVerdict {
  if (states.length === 0) return "stopped";
  const v = serviceVerdict(states, oneShot);
  if (v === "ready") return states.every((s) => s.state === "running") ? "ready" : "done";
  if (v === "failed") return "failed";
  return "starting";
}

/** Reads the compose setup and its containers from the engine. */
export async function collectComposeStatus(env: LoadedEnv): Promise<ComposeStatus> {
  return composeStatusOf(loadEnvCompose(env), composeProjectName(env), await composePs(env));
}

/** The status as lines for a person: one per service, then the URLs. */
export function formatComposeStatus(st: ComposeStatus, s: Style): string[] {
  const mark: Record<ComposeServiceVerdict, string> = { ready: s.green("✓"), done: s.green("✓"), starting: s.yellow("…"), failed: s.red("✗"), stopped: s.dim("■") };
  const lines = [`compose project ${st.project}`];
  if (st.services.every((x) => x.containers === 0)) lines.push("  nothing running: run `devenv up --target compose`");
  const width = Math.max(0, ...st.services.map((x) => x.service.length));
  for (const x of st.services) {
    const count = x.containers ? `${x.running}/${x.containers} running` : "";
    const ports = x.ports.length ? `  ports ${x.ports.join(", ")}` : "";
    lines.push(`  ${mark[x.state]} ${x.service.padEnd(width)}  ${x.state}: ${x.detail}${count ? ` (${count})` : ""}${ports}${x.declared ? "" : "  (not in the compose files: `devenv up --target compose` removes it)"}`);
  }
  if (st.urls.length) lines.push("", "URLs:", ...st.urls.map((u) => `  ${u}`));
  return lines;
}

// Rules health.*: compose healthcheck (or the Dockerfile HEALTHCHECK the image inherits) ↔
// readiness/liveness probe: same HTTP path and port, or the same command.
import { readDockerfileHealthcheck } from "../../compose/dockerfile-healthcheck.js";
import type { ComposeHealthcheck, ComposeService } from "../../compose/model.js";
import { normalRepo } from "../match.js";
import { ref, type RuleContext } from "../context.js";
import type { Container, Probe } from "../../kube/pod-spec.js";
import { redactText } from "../../redact/secrets.js";
import { runsOnce } from "./ports.js";

/** What a check probes: an HTTP endpoint, a TCP port or a command line. */
export type HealthTarget = { kind: "http"; port: number; path: string } | { kind: "tcp"; port: number } | { kind: "command"; line: string };

export function checkHealth(ctx: RuleContext): void {
  for (const { service: s, workload: w, container: c } of ctx.pairs) {
    if (!w || !c || w.kind === "Job" || w.kind === "CronJob" || runsOnce(w.object)) continue;
    const { hc, origin } = composeHealth(ctx, s);
    const probe = c.readinessProbe ?? c.livenessProbe ?? c.startupProbe;
    if (!hc) continue;
    const at = ref(w);
    // The container answers to its own service name, container_name and aliases: a healthcheck
    // `wget http://order-service:3000/health` inside order-service is a GET on its own port.
    const self = [s.name, ...s.aliases];
    const want = composeTarget(hc, self);
    if (!probe) {
      ctx.sink.add("health.missing", s.name, `${origin} checks ${describe(want)}, but ${at} has no readiness/liveness probe`, { workload: at, compose: describe(want) });
      continue;
    }
    const got = probeTarget(probe, c, self);
    const verdict = sameTarget(want, got);
    if (verdict === "same") ctx.sink.ok(s.name, `health ${describe(want)}`);
    else ctx.sink.add("health.mismatch", s.name, `${origin} checks ${describe(want)}, the probe checks ${describe(got)}`, { workload: at, compose: describe(want), k8s: describe(got), ...(verdict === "kind" ? { severity: "warning" as const } : {}) });
    // The image's own HEALTHCHECK still counts when compose overrides it: `docker run`, Docker's
    // health status and anything else that runs the image probe what the Dockerfile says (the
    // seed's pitfall: a HEALTHCHECK on an endpoint the service does not serve).
    if (origin !== "the compose healthcheck") continue;
    const image = imageHealth(ctx, s);
    if (!image) continue;
    const mine = composeTarget(image, self);
    if (sameTarget(mine, got) !== "same") {
      ctx.sink.add("health.mismatch", s.name, `the Dockerfile HEALTHCHECK checks ${describe(mine)} (compose overrides it, but the image keeps it), the probe checks ${describe(got)}`, { workload: at, compose: describe(mine), k8s: describe(got), severity: "warning" });
    }
  }
}

/** The Dockerfile HEALTHCHECK of the image a service runs (its build, or the devenv.ts image of the same repository). */
function imageHealth(ctx: RuleContext, s: ComposeService): ComposeHealthcheck | undefined {
  const img = s.build ? { context: s.build.context, dockerfile: s.build.dockerfile } : ctx.images.find((i) => s.image && normalRepo(s.image) === normalRepo(i.repository));
  const hc = img && readDockerfileHealthcheck(img.context, img.dockerfile);
  return hc && !hc.disabled ? hc : undefined;
}

function composeHealth(ctx: RuleContext, s: ComposeService): { hc?: ComposeHealthcheck; origin: string } {
  // A healthcheck without `test` only tunes the image's own HEALTHCHECK (interval, retries...).
  if (s.healthcheck && (s.healthcheck.disabled || s.healthcheck.test.length)) return s.healthcheck.disabled ? { origin: "" } : { hc: s.healthcheck, origin: "the compose healthcheck" };
  const hc = imageHealth(ctx, s);
  return hc ? { hc, origin: "the Dockerfile HEALTHCHECK" } : { origin: "" };
}

/** The endpoint or command a compose test runs. `self`: the names the container answers to
 *  besides localhost (its service name, container_name, aliases). An HTTP client on a URL of the
 *  container itself is a GET; `nc -z host port`, `openssl s_client -connect host:port` and bash's
 *  `/dev/tcp/host/port` on itself are TCP checks. */
export function composeTarget(hc: ComposeHealthcheck, self: string[] = []): HealthTarget {
  const line = hc.test[0] === "CMD-SHELL" ? hc.test.slice(1).join(" ") : hc.test[0] === "CMD" ? hc.test.slice(1).join(" ") : hc.test.join(" ");
  const names = ["localhost", "127\\.0\\.0\\.1", "0\\.0\\.0\\.0", "\\[::1\\]", ...self.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))].join("|");
  const url = new RegExp(`https?://(?:${names})(?![-\\w.])(?::(\\d+))?(/[^\\s'"|;)]*)?`, "i").exec(line);
  if (url) return { kind: "http", port: Number(url[1] ?? (/^https/i.test(url[0]) ? 443 : 80)), path: url[2] ?? "/" };
  const tcp = new RegExp(`(?:\\bnc\\b[^|;&]*?\\s-[a-y]*z[a-y]*\\s+(?:[^|;&]*\\s)?(?:${names})\\s+(\\d+)|\\bs_client\\b[^|;&]*-connect\\s+(?:${names}):(\\d+)|/dev/tcp/(?:${names})/(\\d+))`, "i").exec(line);
  if (tcp) return { kind: "tcp", port: Number(tcp[1] ?? tcp[2] ?? tcp[3]) };
  return { kind: "command", line: line.trim().replace(/\s+/g, " ") };
}

function probeTarget(p: Probe, c: Container, self: string[]): HealthTarget {
  const port = (v: number | string) => (typeof v === "number" ? v : /^\d+$/.test(v) ? Number(v) : (c.ports?.find((x) => x.name === v)?.containerPort ?? NaN));
  if (p.httpGet) return { kind: "http", port: port(p.httpGet.port), path: p.httpGet.path ?? "/" };
  if (p.tcpSocket) return { kind: "tcp", port: port(p.tcpSocket.port) };
  const cmd = p.exec?.command ?? [];
  const line = cmd.length === 3 && /(^|\/)(ba)?sh$/.test(cmd[0]!) && cmd[1] === "-c" ? cmd[2]! : cmd.join(" ");
  const inner = composeTarget({ test: ["CMD-SHELL", line], disabled: false }, self);
  return inner.kind === "command" ? { kind: "command", line: line.trim().replace(/\s+/g, " ") } : inner;
}

/** `same`, a different endpoint (`differ`), or a different kind of check (`kind`). */
function sameTarget(a: HealthTarget, b: HealthTarget): "same" | "differ" | "kind" {
  if (a.kind !== b.kind) return "kind";
  if (a.kind === "http" && b.kind === "http") return a.port === b.port && stripQuery(a.path) === stripQuery(b.path) ? "same" : "differ";
  if (a.kind === "tcp" && b.kind === "tcp") return a.port === b.port ? "same" : "differ";
  if (a.kind === "command" && b.kind === "command") return a.line === b.line || a.line.split(" ")[0] === b.line.split(" ")[0] ? "same" : "differ";
  return "differ";
}

function stripQuery(p: string): string {
  return p.split("?")[0]!.replace(/\/+$/, "") || "/";
}

function describe(t: HealthTarget): string {
  return t.kind === "http" ? `GET :${t.port}${redactText(t.path)}` : t.kind === "tcp" ? `TCP :${t.port}` : `\`${redactText(t.line)}\``;
}

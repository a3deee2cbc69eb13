// Compose healthcheck → readiness/liveness probe: an HTTP URL on localhost becomes httpGet,
// anything else an exec probe running the same command. Pure.
import type { ComposeHealthcheck } from "../compose/model.js";
import { composeTarget } from "../compare/rules/health.js";

export function probeFrom(hc: ComposeHealthcheck): Record<string, unknown> {
  const t = composeTarget(hc);
  const action = t.kind === "http" ? { httpGet: { path: t.path, port: t.port } } : { exec: { command: hc.test[0] === "CMD" ? hc.test.slice(1) : ["sh", "-c", hc.test.slice(1).join(" ")] } };
  const secs = (ms?: number) => (ms === undefined ? undefined : Math.max(1, Math.round(ms / 1000)));
  return prune({ ...action, periodSeconds: secs(hc.intervalMs), timeoutSeconds: secs(hc.timeoutMs), failureThreshold: hc.retries, initialDelaySeconds: secs(hc.startPeriodMs) });
}

/** Drops undefined fields so the YAML stays small. */
export function prune<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

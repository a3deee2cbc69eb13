// The rule ids of compare-compose, for devenv.ts `compare.ignore` / `ignoreFor` validation. The
// catalog with severities and hints is src/compare/findings.ts, which must list exactly these.

export const COMPARE_RULE_IDS = [
  "service.missing",
  "workload.missing",
  "service.kind",
  "service.network",
  "container.extra",
  "image.mismatch",
  "env.missing",
  "env.extra",
  "env.value",
  "env.unresolved",
  "env.unexpanded-ref",
  "env.secret-in-plain",
  "env.unreachable-host",
  "port.mismatch",
  "port.service",
  "port.undeclared",
  "port.no-service",
  "health.mismatch",
  "health.missing",
  "volume.missing",
  "volume.not-persistent",
  "volume.persistent",
  "volume.rwx-needed",
  "volume.bind-mount",
  "volume.docker-socket",
  "volume.file-missing",
  "order.missing",
  "command.mismatch",
  "replicas.mismatch",
  "resources.mismatch",
  "hpa.no-requests",
] as const;

export type CompareRuleId = (typeof COMPARE_RULE_IDS)[number];

/** Whether `id` names something compare-compose can ignore: a rule id, its family (`env`), or `env.NAME`. */
export function isIgnorableRule(id: string): boolean {
  if ((COMPARE_RULE_IDS as readonly string[]).includes(id)) return true;
  if (COMPARE_RULE_IDS.some((r) => r.split(".")[0] === id)) return true;
  // `env.NAME` ignores one variable; an all-lowercase name is a misspelt rule (`env.valeu`), not a variable.
  return /^env\.(?![a-z-]+$)[A-Za-z_][A-Za-z0-9_.-]*$/.test(id);
}

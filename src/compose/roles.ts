// What part a compose service plays, decided the same way by compare and convert: a one-shot
// task (→ Job), a stateful data service (→ StatefulSet), or a long-running service. Pure.
import type { ComposeProject, ComposeService } from "./model.js";

/** Explicit `restart: "no"`, or some service waits for it with service_completed_successfully. */
export function isOneShot(project: ComposeProject, svc: ComposeService): boolean {
  if (svc.restart === "no") return true;
  return Object.values(project.services).some((s) => s.dependsOn[svc.name]?.condition === "service_completed_successfully");
}

const DB_IMAGES = /(^|\/)(postgres|postgis|mysql|mariadb|mongo|redis|valkey|keydb|elasticsearch|opensearch|rabbitmq|cassandra|clickhouse|minio|etcd|zookeeper|kafka|nats|memcached|timescaledb|cockroach)[^/]*$/;

/** A database-like image with a named data volume: a StatefulSet in Kubernetes. */
export function isStateful(svc: ComposeService): boolean {
  const repo = (svc.image ?? "").split("@")[0]!.replace(/:[^/]*$/, "");
  return DB_IMAGES.test(repo) && svc.volumes.some((m) => m.type === "volume" && m.source !== undefined);
}

/** Compose services mounting each named volume, in service order. */
export function volumeUsers(project: ComposeProject): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const s of Object.values(project.services)) {
    for (const m of s.volumes) {
      if (m.type !== "volume" || !m.source) continue;
      const list = users.get(m.source) ?? [];
      if (!list.includes(s.name)) list.push(s.name);
      users.set(m.source, list);
    }
  }
  return users;
}

/** The service whose network namespace `s` joins (`network_mode: service:NAME`), if any. */
export function networkOwner(s: Pick<ComposeService, "networkMode">): string | undefined {
  const m = /^service:(.+)$/.exec(s.networkMode?.trim() ?? "");
  return m?.[1]!.trim();
}

// Host names compare by what they resolve to: `db`, `db.ns`, `db.ns.svc`,
// `db.ns.svc.cluster.local` and a StatefulSet pod `db-0.db.ns.svc.cluster.local` all name
// Service `db` in namespace `ns`. Rewrites every such host (bare or inside a URL) to one
// canonical form so values can be compared as strings. Pure.

export interface DnsScope {
  namespace: string;
  /** Host names that mean a Service: compose service name or Service name → Service name. */
  hosts: Map<string, string>;
}

const HOST = /(^|[\s@,=;"'(]|\/\/)([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)(?=$|[:/\s,;?"')])/g;

/** `value` with every known in-cluster host rewritten to `svc.ns.svc.cluster.local`. */
export function canonicalHosts(value: string, scope: DnsScope): string {
  return value.replace(HOST, (all, pre: string, host: string) => {
    const svc = serviceOf(host, scope);
    return svc ? `${pre}${svc}.${scope.namespace}.svc.cluster.local` : all;
  });
}

function serviceOf(host: string, scope: DnsScope): string | undefined {
  const labels = host.split(".");
  const suffixes = [[], [scope.namespace], [scope.namespace, "svc"], [scope.namespace, "svc", "cluster", "local"]];
  for (const suffix of suffixes) {
    if (labels.length < suffix.length + 1 || labels.length > suffix.length + 2) continue;
    if (labels.slice(labels.length - suffix.length).join(".") !== suffix.join(".")) continue;
    const head = labels.slice(0, labels.length - suffix.length);
    if (head.length === 1) return scope.hosts.get(head[0]!);
    // `<statefulset>-N.<service>`: a pod of the StatefulSet behind a headless Service.
    const svc = scope.hosts.get(head[1]!);
    if (svc && /-\d+$/.test(head[0]!)) return svc;
  }
  return undefined;
}

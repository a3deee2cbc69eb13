// Rule env.unreachable-host: a host name a service is told to reach (in a URL, a `host:port`, or
// a `*_HOST` variable) must resolve on each side. Compose: another service, an alias
// (container_name, hostname, network aliases) or an extra_hosts entry. Kubernetes: a Service in
// the right namespace (`svc`, `svc.ns`, `svc.ns.svc[.cluster.local]`) or a StatefulSet pod behind
// its headless Service (`pod-0.svc...`). Names with dots that are none of these are outside both
// (`api.example.com`) and not judged. Pure.
import { envOf, ref, type RuleContext } from "../context.js";

const LOCAL = new Set(["localhost", "host.docker.internal", "0.0.0.0", "::1"]);
const LABEL = "[a-z0-9]([-a-z0-9_]*[a-z0-9])?";
const HOSTNAME = new RegExp(`^${LABEL}(\\.${LABEL})*$`, "i");
/** `scheme://[user@]authority`: the authority may list several hosts (`mongodb://a:27017,b:27017/db`)
 *  but stops before the next URL of a list (`PLAINTEXT://kafka:9092,CONTROLLER://kafka:9093`). The
 *  userinfo runs to the LAST `@` before the path, query or fragment, so a password may hold an `@`
 *  (`postgres://u:p@ss@db:5432`), as URL parsers read it (Go's net/url parseAuthority). */
const URL_RE = /([a-z][a-z0-9+.-]*):\/\/(?:[^/?#\s]*@)?((?:[^/?#\s,]|,(?![a-z][a-z0-9+.-]*:\/\/))+)/gi;
/** A comma-separated `host:port` list. Ports below 10 are counts, not ports (`TOPICS=orders:1,status:2`,
 *  Kafka's name:partitions), and so is anything a *TOPIC* variable holds. */
function hostPortList(name: string, value: string): [string, number][] | undefined {
  if (/TOPIC/i.test(name)) return undefined;
  const parts = value.split(",").map((x) => x.trim());
  const out: [string, number][] = [];
  for (const p of parts) {
    const m = /^([a-z0-9][-a-z0-9_.]*):(\d{1,5})$/i.exec(p);
    if (!m || Number(m[2]) < 10) return undefined;
    out.push([m[1]!, Number(m[2])]);
  }
  return out;
}

/** A Go MySQL driver DSN's address, `[user[:password]@]net(host:port)/db` (go-sql-driver/mysql
 *  dsn.go ParseDSN: the address is between the `(` after the last `@` and the `)` before the last
 *  `/`). A unix socket path (`unix(/run/mysqld.sock)`) is no host. */
function dsnAddress(value: string): [string, number | undefined] | undefined {
  const m = /^(?:\S*@(?:tcp[46]?)?|tcp[46]?)\(([^()\s/]+)\)\/[^\s/]*$/i.exec(value.trim());
  if (!m) return undefined;
  const [, h, p] = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(m[1]!) ?? [];
  return h ? [h, p ? Number(p) : 3306] : undefined;
}

/** The host names a variable's value points at. */
export function hostsIn(name: string, value: string): string[] {
  if (/\$[{(]/.test(value)) return []; // not resolved here: judged by env.unexpanded-ref / interpolation
  const out: string[] = [];
  for (const m of value.matchAll(URL_RE)) {
    for (const hp of m[2]!.split(",")) out.push(hp.replace(/^\[.*\]$/, "").replace(/:\d*$/, ""));
  }
  if (!out.length) {
    const list = hostPortList(name, value);
    const dsn = dsnAddress(value);
    if (list) out.push(...list.map(([h]) => h));
    else if (dsn) out.push(dsn[0]);
    else if (/(_HOST|_HOSTNAME|_SERVER|_ADDR)$/i.test(name) && HOSTNAME.test(value)) out.push(value);
  }
  return [...new Set(out.map((h) => h.toLowerCase()))].filter((h) => h && HOSTNAME.test(h) && !LOCAL.has(h) && !/^[\d.]+$/.test(h));
}

const SCHEME_PORTS: Record<string, number> = { http: 80, https: 443, postgres: 5432, postgresql: 5432, mysql: 3306, mariadb: 3306, mongodb: 27017, redis: 6379, rediss: 6379, amqp: 5672, nats: 4222, ws: 80, wss: 443 };

/** The ports other services reach each host on, from their environment (`db:5432`,
 *  `postgres://db/app` → 5432 by scheme). For convert: a service reached only by name in compose
 *  needs a Service in Kubernetes. */
export function referencedPorts(services: { environment: Record<string, string | null> }[]): Map<string, number[]> {
  const out = new Map<string, Set<number>>();
  const add = (h: string, p: number | undefined) => {
    if (!p) return;
    const set = out.get(h.toLowerCase()) ?? new Set<number>();
    set.add(p);
    out.set(h.toLowerCase(), set);
  };
  for (const s of services) {
    for (const [name, v] of Object.entries(s.environment)) {
      if (!v || /\$[{(]/.test(v)) continue;
      let url = false;
      for (const m of v.matchAll(URL_RE)) {
        url = true;
        for (const hp of m[2]!.split(",")) {
          const [, h, p] = /^([^:]+)(?::(\d+))?$/.exec(hp) ?? [];
          if (h) add(h, p ? Number(p) : SCHEME_PORTS[m[1]!.toLowerCase().split("+")[0]!]);
        }
      }
      if (!url) for (const [h, p] of hostPortList(name, v) ?? (dsnAddress(v) ? [dsnAddress(v)!] : [])) add(h, p);
    }
  }
  return new Map([...out].map(([h, ps]) => [h, [...ps].sort((a, b) => a - b)]));
}

export function checkReachability(ctx: RuleContext): void {
  const composeNames = new Set<string>();
  for (const s of Object.values(ctx.project.services)) for (const n of [s.name, ...s.aliases]) composeNames.add(n.toLowerCase());
  const namespaces = new Set([ctx.namespace, ...ctx.objects.map((o) => o.metadata.namespace).filter((n): n is string => Boolean(n)), ...ctx.objects.filter((o) => o.kind === "Namespace").map((o) => o.metadata.name)]);
  const services = ctx.objects.filter((o) => o.kind === "Service").map((o) => ({ name: o.metadata.name, ns: o.metadata.namespace ?? ctx.namespace }));
  const statefulSets = ctx.objects.filter((o) => o.kind === "StatefulSet").map((o) => ({ name: o.metadata.name, ns: o.metadata.namespace ?? ctx.namespace, service: (o.spec as Record<string, any> | undefined)?.serviceName as string | undefined }));

  for (const { service: s, workload: w, container: c } of ctx.pairs) {
    for (const [name, value] of Object.entries(s.environment)) {
      if (value === null) continue;
      const bad = hostsIn(name, value).filter((h) => !h.includes(".") && !composeNames.has(h) && !s.extraHosts.some((x) => x.toLowerCase() === h));
      for (const h of bad) ctx.sink.add("env.unreachable-host", s.name, `${name} points at "${h}", which is no compose service, alias or extra_hosts entry`, { variable: name, compose: h, ...(w ? { workload: ref(w) } : {}) });
    }
    if (!w || !c) continue;
    const ns = w.namespace ?? ctx.namespace;
    const env = envOf(ctx, w, c);
    for (const [name, r] of env) {
      if (r.value === undefined || r.unexpanded.length) continue;
      for (const h of hostsIn(name, r.value)) {
        const why = k8sResolves(h, ns, namespaces, services, statefulSets);
        if (why) ctx.sink.add("env.unreachable-host", s.name, `${name} points at "${h}" in ${ref(w)}, but ${why}`, { workload: ref(w), variable: name, k8s: h });
      }
    }
  }
}

/** undefined when `host` resolves from a pod in `ns`; else why not. */
function k8sResolves(host: string, ns: string, namespaces: Set<string>, services: { name: string; ns: string }[], sets: { name: string; ns: string; service?: string }[]): string | undefined {
  const labels = host.split(".");
  const has = (svc: string, n: string) => services.some((x) => x.name === svc && x.ns === n);
  const cluster = labels.slice(2).join(".");
  // svc | svc.ns | svc.ns.svc | svc.ns.svc.cluster.local
  if (labels.length === 1) return has(host, ns) ? undefined : `there is no Service "${host}" in namespace ${ns}`;
  if (["", "svc", "svc.cluster.local"].includes(cluster) && namespaces.has(labels[1]!)) return has(labels[0]!, labels[1]!) ? undefined : `there is no Service "${labels[0]}" in namespace ${labels[1]}`;
  // pod.svc.ns.svc.cluster.local (a StatefulSet pod behind its headless Service)
  const podCluster = labels.slice(3).join(".");
  if (labels.length >= 3 && ["", "svc", "svc.cluster.local"].includes(podCluster) && namespaces.has(labels[2]!) && /-\d+$/.test(labels[0]!)) {
    const set = sets.find((x) => x.service === labels[1] && x.ns === labels[2] && labels[0]!.startsWith(`${x.name}-`));
    return set && has(labels[1]!, labels[2]!) ? undefined : `no StatefulSet "${labels[0]!.replace(/-\d+$/, "")}" runs behind Service "${labels[1]}" in namespace ${labels[2]}`;
  }
  return undefined; // outside the cluster
}

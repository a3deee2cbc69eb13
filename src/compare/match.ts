// Pairs compose services with the container that plays them, one to one: the explicit devenv.ts
// map first, then names, each as written and then in the form Kubernetes names take (`events_db`
// runs as `events-db`): the workload's name, a container's name, the name of a Service that
// selects the pods (what other services call it by), then the `app.kubernetes.io/name` / `app` /
// `component` label, then the image (the whole reference before the repository alone, and only
// when that is unambiguous), then a `<prefix>-<service>` workload name, then what a paired
// service's variable calls it on each side. Among several candidates
// of the same strength the one running the same image wins, then the one listening on the
// ports compose declares. A pod with several containers can
// play several compose services (an app and its sidecar). Pure.
import type { ComposeProject, ComposeService } from "../compose/model.js";
import type { KubeObject } from "../model/index.js";
import type { Container } from "../kube/pod-spec.js";
import { kubeName } from "../compose/kube-name.js";
import { repositoryOf } from "../images/refs.js";
import { resolveContainerEnv } from "./resolve-env.js";
import { hostsIn } from "./rules/reach.js";
import { selects, type Workload } from "./workloads.js";

export type MatchBasis = "map" | "name" | "container" | "service" | "label" | "image" | "suffix" | "reference" | "replica";

export interface Pair {
  service: ComposeService;
  workload?: Workload;
  /** The container of the workload that plays the service. */
  container?: Container;
  /** How the pair was made, for the report. */
  by?: MatchBasis;
  /** Set on a compose service that is another pod of the StatefulSet paired with `replicaOf`
   *  (see replicaGroups); it has no workload of its own and the rules judge the leading pair. */
  replicaOf?: Pair;
}

export interface MatchOptions {
  map: Record<string, string>;
  /** build context (absolute) → repository, from devenv.ts images. */
  builtRepos: Map<string, string>;
  /** Services among the objects (for the `service` basis); default none. */
  services?: KubeObject[];
  /** ConfigMaps and Secrets by name (for the `reference` basis); default none. */
  configMaps?: Map<string, KubeObject>;
  secrets?: Map<string, KubeObject>;
}

export function matchServices(project: ComposeProject, workloads: Workload[], opts: MatchOptions): { pairs: Pair[]; unmatched: Workload[] } {
  const taken = new Set<Container>();
  const pairs = new Map<string, Pair>(Object.values(project.services).map((s) => [s.name, { service: s }]));
  const mapped = new Set(Object.values(opts.map).map((v) => v.split("/").pop()!));
  const kubeServices = opts.services ?? [];
  const take = (by: MatchBasis, candidates: (s: ComposeService) => { w: Workload; c?: Container }[]) => {
    for (const p of pairs.values()) {
      if (p.workload) continue;
      const found = candidates(p.service)
        .map(({ w, c }) => ({ w, c: c && !taken.has(c) ? c : pickContainer(w, p.service, taken, opts.builtRepos) }))
        .filter((x): x is { w: Workload; c: Container } => x.c !== undefined);
      if (!found.length) continue;
      // Ties: the same image reference, then the same repository, then the container that
      // listens on the most of the ports compose declares (where compose's clients reach it),
      // then manifest order.
      const rank = (x: { c: Container }) => imageAffinity(p.service, x.c, opts.builtRepos) * 1000 + portsShared(p.service, x.c);
      const best = found.reduce((a, b) => (rank(b) > rank(a) ? b : a));
      p.workload = best.w;
      p.container = best.c;
      p.by = by;
      taken.add(best.c);
    }
  };
  take("map", (s) => workloads.filter((w) => opts.map[s.name] === w.name || opts.map[s.name] === `${w.kind.toLowerCase()}/${w.name}`).map((w) => ({ w })));
  // Each name as written, then in the form Kubernetes names take (`plausible_db` runs as
  // `plausible-db`: an object name cannot hold `_`), so an exact twin is never taken by another.
  for (const named of [(s: ComposeService) => s.name, (s: ComposeService) => kubeName(s.name)]) {
    take("name", (s) => workloads.filter((w) => w.name === named(s) && !mapped.has(w.name)).map((w) => ({ w })));
    take("container", (s) => workloads.flatMap((w) => w.containers.filter((c) => c.name === named(s)).map((c) => ({ w, c }))));
    take("service", (s) => {
      const svc = kubeServices.filter((k) => k.metadata.name === named(s));
      return workloads.filter((w) => svc.some((k) => selects(k, w.podLabels))).map((w) => ({ w }));
    });
  }
  take("label", (s) => workloads.filter((w) => [w.podLabels, w.labels].some((l) => l["app.kubernetes.io/name"] === s.name || l.app === s.name || l["app.kubernetes.io/component"] === s.name)).map((w) => ({ w })));
  take("image", (s) => {
    const all = workloads.flatMap((w) => w.containers.filter((c) => !taken.has(c)).map((c) => ({ w, c, a: imageAffinity(s, c, opts.builtRepos) })));
    const exact = all.filter((x) => x.a === 2);
    if (exact.length) return exact;
    // The repository alone pairs only when no other unpaired service shares it (`demo:2.1-reviews` / `demo:2.1-postgres`).
    const rivals = [...pairs.values()].filter((p) => !p.workload && p.service !== s && serviceRepositories(p.service, opts.builtRepos).some((r) => serviceRepositories(s, opts.builtRepos).includes(r)));
    return rivals.length ? [] : all.filter((x) => x.a === 1);
  });
  take("suffix", (s) => workloads.filter((w) => w.name.endsWith(`-${s.name}`) || w.name.endsWith(`-${kubeName(s.name)}`)).map((w) => ({ w })));
  // Last, what the twins call it: a paired service's variable names this service in compose
  // (`jdbc:postgresql://orders-db:5432`) and a Service in Kubernetes (`orders-postgresql:5432`).
  take("reference", (s) => {
    const names = new Set([s.name, ...s.aliases].map((n) => n.toLowerCase()));
    const out: { w: Workload }[] = [];
    for (const p of pairs.values()) {
      if (!p.workload || !p.container || p.service === s) continue;
      const k8sEnv = resolveContainerEnv(p.container, opts.configMaps ?? new Map(), opts.secrets ?? new Map());
      for (const [name, value] of Object.entries(p.service.environment)) {
        if (!value || !hostsIn(name, value).some((h) => names.has(h))) continue;
        const theirs = k8sEnv.get(name)?.value;
        for (const h of theirs ? hostsIn(name, theirs) : []) {
          const svc = kubeServices.filter((k) => k.metadata.name === h.split(".")[0]);
          out.push(...workloads.filter((w) => svc.some((k) => selects(k, w.podLabels))).map((w) => ({ w })));
        }
      }
    }
    return out;
  });
  replicaGroups([...pairs.values()]);
  const used = new Set([...pairs.values()].map((p) => p.workload));
  return { pairs: [...pairs.values()], unmatched: workloads.filter((w) => !used.has(w)) };
}

/** Compose gives each replica of a service the same name and the same named volumes, so a
 *  clustered store whose members each need their own identity and data (minio1…minio4, each with
 *  its volumes) is written as one service per member. A StatefulSet gives each pod just that: a
 *  stable name (`<set>-<ordinal>`) and its own claims from volumeClaimTemplates (kubernetes
 *  website@7cac5582 `content/en/docs/concepts/workloads/controllers/statefulset.md`, "Pod Identity"). An unpaired
 *  service shaped like a service paired with a StatefulSet (the same image, command, entrypoint,
 *  environment, healthcheck and mount paths: only its name, its volumes' names and its host
 *  ports differ) is another pod of that set, up to its replicas. */
function replicaGroups(pairs: Pair[]): void {
  const shapes = new Map<Pair, string>();
  const shapeOf = (p: Pair) => shapes.get(p) ?? shapes.set(p, shape(p.service)).get(p)!;
  for (const lead of pairs) {
    if (lead.workload?.kind !== "StatefulSet" || lead.replicaOf) continue;
    let pods = lead.service.replicas ?? 1;
    for (const p of pairs) {
      if (pods >= (lead.workload.replicas ?? 1)) break;
      if (p.workload || p.replicaOf || p === lead || shapeOf(p) !== shapeOf(lead)) continue;
      p.replicaOf = lead;
      pods += p.service.replicas ?? 1;
    }
  }
}

/** What a member of a replica group shares with the others. */
function shape(s: ComposeService): string {
  return JSON.stringify([s.image ?? null, s.build?.context ?? null, s.command ?? null, s.entrypoint ?? null, Object.entries(s.environment).sort(), s.healthcheck?.test ?? null, s.volumes.map((m) => `${m.type}:${m.target}`).sort(), s.ports.map((p) => `${p.target}/${p.protocol}`).sort(), s.expose]);
}

/** The container of `w` that plays `s`: named like it, else running its image, else named like the
 *  workload, else the first one not already playing another service. */
function pickContainer(w: Workload, s: ComposeService, taken: Set<Container>, builtRepos: Map<string, string>): Container | undefined {
  const free = w.containers.filter((c) => !taken.has(c));
  return free.find((c) => c.name === s.name || c.name === kubeName(s.name)) ?? free.find((c) => imageAffinity(s, c, builtRepos) > 0) ?? free.find((c) => c.name === w.name) ?? free[0];
}

/** How many of the container ports compose declares (`ports` targets, `expose`) the container declares. */
function portsShared(s: ComposeService, c: Container): number {
  const theirs = new Set((c.ports ?? []).map((p) => `${p.containerPort}/${(p.protocol ?? "TCP").toLowerCase()}`));
  const mine = new Set([...s.ports.map((p) => `${p.target}/${p.protocol}`), ...s.expose.map((p) => `${p}/tcp`)]);
  return [...mine].filter((p) => theirs.has(p)).length;
}

/** 2: the same image reference, 1: the same repository, 0: neither. */
function imageAffinity(s: ComposeService, c: Container, builtRepos: Map<string, string>): number {
  if (!c.image) return 0;
  if (s.image && !s.build && sameImage(s.image, c.image)) return 2;
  return serviceRepositories(s, builtRepos).includes(normalRepo(c.image)) ? 1 : 0;
}

/** Repositories a compose service may legitimately run as in the cluster. */
export function serviceRepositories(s: ComposeService, builtRepos: Map<string, string>): string[] {
  const out: string[] = [];
  if (s.image) out.push(normalRepo(s.image));
  const built = s.build ? builtRepos.get(s.build.context.replace(/\/+$/, "")) : undefined;
  if (built) out.push(normalRepo(built));
  return out;
}

/** `docker.io/library/postgres:16` → `postgres`. */
export function normalRepo(ref: string): string {
  return repositoryOf(ref).replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, "").replace(/^library\//, "");
}

/** A reference in one canonical form: Docker Hub names short, no tag = `latest`, the digest kept. */
export function normalImage(ref: string): { repository: string; tag: string; digest?: string } {
  const [name, digest] = ref.trim().split("@") as [string, string | undefined];
  const repository = normalRepo(name);
  const rest = name.slice(repositoryOf(name).length);
  return { repository, tag: rest.startsWith(":") ? rest.slice(1) : "latest", ...(digest ? { digest } : {}) };
}

/** Whether two references name the same image: same repository, and the same digest when both
 *  pin one, else the same tag (a missing tag is `latest`). */
export function sameImage(a: string, b: string): boolean {
  const x = normalImage(a);
  const y = normalImage(b);
  if (x.repository !== y.repository) return false;
  if (x.digest && y.digest) return x.digest === y.digest;
  return x.tag === y.tag;
}

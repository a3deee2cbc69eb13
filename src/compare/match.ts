// Pairs compose services with workloads: the explicit devenv.ts map first, then the same name,
// then the `app.kubernetes.io/name` / `app` / `component` label, then the image repository
// (or the build context ↔ the devenv.ts image built from it), then a `<prefix>-<service>` name. Pure.
import type { ComposeProject, ComposeService } from "../compose/model.js";
import { repositoryOf } from "../images/refs.js";
import type { Workload } from "./workloads.js";

export interface Pair {
  service: ComposeService;
  workload?: Workload;
  /** How the pair was made, for the report. */
  by?: "map" | "name" | "label" | "image" | "suffix";
}

export interface MatchOptions {
  map: Record<string, string>;
  /** build context (absolute) → repository, from devenv.ts images. */
  builtRepos: Map<string, string>;
}

export function matchServices(project: ComposeProject, workloads: Workload[], opts: MatchOptions): { pairs: Pair[]; unmatched: Workload[] } {
  const free = new Set(workloads);
  const pairs = new Map<string, Pair>(Object.values(project.services).map((s) => [s.name, { service: s }]));
  const take = (by: Pair["by"], pick: (s: ComposeService, w: Workload) => boolean) => {
    for (const p of pairs.values()) {
      if (p.workload) continue;
      const w = [...free].find((x) => pick(p.service, x));
      if (w) {
        p.workload = w;
        p.by = by;
        free.delete(w);
      }
    }
  };
  take("map", (s, w) => opts.map[s.name] === w.name || opts.map[s.name] === `${w.kind.toLowerCase()}/${w.name}`);
  take("name", (s, w) => w.name === s.name && !Object.values(opts.map).includes(w.name));
  take("label", (s, w) => [w.podLabels, w.labels].some((l) => l["app.kubernetes.io/name"] === s.name || l.app === s.name || l["app.kubernetes.io/component"] === s.name));
  take("image", (s, w) => {
    const repos = serviceRepositories(s, opts.builtRepos);
    return w.containers.some((c) => c.image !== undefined && repos.includes(normalRepo(c.image)));
  });
  take("suffix", (s, w) => w.name.endsWith(`-${s.name}`));
  return { pairs: [...pairs.values()], unmatched: [...free] };
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
  return repositoryOf(ref).replace(/^(docker\.io|index\.docker\.io)\//, "").replace(/^library\//, "");
}

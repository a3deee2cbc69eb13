// Checks zod cannot make: paths that must exist, names that must be unique, combinations that
// cannot work. Pure apart from existsSync on the paths the config names.
import { existsSync, realpathSync, statSync } from "node:fs";
import { join, posix, resolve, sep } from "node:path";
import { isIgnorableRule } from "./compare-rules.js";
import type { EnvConfig } from "./schema.js";

/** Container directories a sync (with deletions synced, an rm -rf) must never target. */
const SYSTEM_DIRS = new Set(["/", "/etc", "/usr", "/bin", "/lib", "/lib64", "/sbin", "/var", "/proc", "/sys", "/dev", "/boot", "/root", "/run"]);
/** A DNS label (RFC 1123): what container/host names that reach shells and DNS must be. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A compose service name (compose-spec: `[a-zA-Z0-9._-]+`, not starting with `-`, `.` or `_`). */
const COMPOSE_SERVICE = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

/** Why a sync target is refused, or undefined. */
export function badSyncTarget(to: string): string | undefined {
  if (!to.startsWith("/")) return undefined; // the schema reports it
  if (to.split("/").includes("..")) return `contains ".." (it normalises to ${posix.normalize(to)}, outside the directory it names)`;
  const norm = posix.normalize(to).replace(/(.)\/+$/, "$1");
  if (SYSTEM_DIRS.has(norm)) return `is ${norm === "/" ? "the container's root" : `the system directory ${norm}`}: syncing deletions there removes the container's own files`;
  return undefined;
}

export interface ConfigProblem {
  path: (string | number)[];
  message: string;
  hint?: string;
}

export function semanticIssues(config: EnvConfig, root: string): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const abs = (p: string) => resolve(root, p);
  const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();

  const { cluster } = config;
  if (cluster.provider === "existing" && !cluster.context) {
    out.push({ path: ["cluster", "context"], message: 'cluster.provider is "existing" but cluster.context is not set', hint: "name the kube context to use (`kubectl config get-contexts` lists them)" });
  }
  if (cluster.ports.http === cluster.ports.https) {
    out.push({ path: ["cluster", "ports", "https"], message: `cluster.ports.http and cluster.ports.https are both ${cluster.ports.http}`, hint: "give HTTP and HTTPS different host ports, e.g. 8080 and 8443" });
  }
  if (!DNS_LABEL.test(cluster.registry.name)) {
    out.push({ path: ["cluster", "registry", "name"], message: `cluster.registry.name ${JSON.stringify(cluster.registry.name)} is not a DNS label`, hint: "use lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit (e.g. devenv-registry)" });
  }
  if (cluster.registry.enabled && [cluster.ports.http, cluster.ports.https].includes(cluster.registry.port)) {
    out.push({ path: ["cluster", "registry", "port"], message: `cluster.registry.port ${cluster.registry.port} is also an ingress port`, hint: "pick another registry port, e.g. 5001" });
  }

  cluster.mounts.forEach((m, i) => {
    if (!existsSync(abs(m.hostPath))) out.push({ path: ["cluster", "mounts", i, "hostPath"], message: `cluster.mounts[${i}].hostPath: not found: ${abs(m.hostPath)}`, hint: "create the directory first (the node would mount an empty one the cluster's runtime makes as root), or fix the path: it is relative to the devenv.ts file" });
  });

  const repos = new Map<string, string>();
  for (const [name, img] of Object.entries(config.images)) {
    const ctx = abs(img.context);
    if (!isDir(ctx)) {
      out.push({ path: ["images", name, "context"], message: `images.${name}.context: directory not found: ${ctx}`, hint: "the path is relative to the devenv.ts file" });
      continue;
    }
    if (!existsSync(join(ctx, img.dockerfile))) {
      out.push({ path: ["images", name, "dockerfile"], message: `images.${name}.dockerfile: ${join(ctx, img.dockerfile)} not found`, hint: "the dockerfile path is relative to the build context" });
    }
    const repo = img.image.replace(/:[^/:]+$/, "");
    const other = repos.get(repo);
    if (other) {
      out.push({ path: ["images", name, "image"], message: `images.${name} and images.${other} both build "${repo}"`, hint: "each image needs its own repository name" });
    }
    repos.set(repo, name);
    img.sync.forEach((rule, i) => {
      const why = badSyncTarget(rule.to);
      if (why) out.push({ path: ["images", name, "sync", i, "to"], message: `images.${name}.sync[${i}].to "${rule.to}" ${why}`, hint: "sync into the application's own directory, e.g. /app/src" });
      if (rule.from.startsWith("/") || rule.from.split("/").includes("..")) {
        out.push({ path: ["images", name, "sync", i, "from"], message: `images.${name}.sync[${i}].from must stay inside the build context`, hint: "write it relative to the context, without '..'" });
      } else {
        const real = realOrUndefined(join(ctx, rule.from));
        const realCtx = realOrUndefined(ctx) ?? ctx;
        if (real !== undefined && real !== realCtx && !real.startsWith(realCtx + sep)) {
          out.push({ path: ["images", name, "sync", i, "from"], message: `images.${name}.sync[${i}].from "${rule.from}" is a symlink to ${real}, outside the build context ${realCtx}`, hint: "sync a directory that lives inside the context (the image build cannot see the symlink's target either)" });
        }
      }
    });
  }

  if (config.manifests) {
    const m = config.manifests;
    if ("kustomize" in m) {
      const dir = abs(m.kustomize);
      if (!isDir(dir)) out.push({ path: ["manifests", "kustomize"], message: `manifests.kustomize: directory not found: ${dir}` });
      else if (!["kustomization.yaml", "kustomization.yml", "Kustomization"].some((f) => existsSync(join(dir, f)))) {
        out.push({ path: ["manifests", "kustomize"], message: `manifests.kustomize: ${dir} has no kustomization.yaml`, hint: "point at a kustomize directory, or use manifests.files for plain YAML" });
      }
    } else {
      const seen = new Map<string, number>();
      m.files.forEach((f, i) => {
        if (!existsSync(abs(f))) out.push({ path: ["manifests", "files", i], message: `manifests.files[${i}]: not found: ${abs(f)}` });
        const first = seen.get(abs(f));
        if (first !== undefined) out.push({ path: ["manifests", "files", i], message: `manifests.files[${i}] and manifests.files[${first}] are the same file (${f})`, hint: "list each manifest file once; applying it twice hides which copy wins" });
        else seen.set(abs(f), i);
      });
    }
  }

  if (config.compose) {
    const seen = new Map<string, number>();
    config.compose.files.forEach((f, i) => {
      if (!existsSync(abs(f))) out.push({ path: ["compose", "files", i], message: `compose.files[${i}]: not found: ${abs(f)}` });
      const first = seen.get(abs(f));
      if (first !== undefined) out.push({ path: ["compose", "files", i], message: `compose.files[${i}] and compose.files[${first}] are the same file (${f})`, hint: "list each compose file once" });
      else seen.set(abs(f), i);
    });
    if (config.compose.envFile && !existsSync(abs(config.compose.envFile))) {
      out.push({ path: ["compose", "envFile"], message: `compose.envFile: not found: ${abs(config.compose.envFile)}`, hint: "copy the example env file, or remove compose.envFile" });
    }
  }

  for (const [name, seed] of Object.entries(config.seeds.postgres)) {
    const files = Array.isArray(seed.sql) ? seed.sql : [seed.sql];
    files.forEach((f, i) => {
      if (!existsSync(abs(f))) out.push({ path: ["seeds", "postgres", name, "sql", ...(Array.isArray(seed.sql) ? [i] : [])], message: `seeds.postgres.${name}.sql: not found: ${abs(f)}` });
    });
    const composeName = (value: string | undefined, path: (string | number)[]) => {
      if (value !== undefined && !COMPOSE_SERVICE.test(value)) {
        out.push({ path, message: `${path.join(".")} ${JSON.stringify(value)} is not a compose service name`, hint: "a compose service name is letters, digits, '.', '_' and '-', starting with a letter or digit" });
      }
    };
    composeName(seed.migrate?.compose, ["seeds", "postgres", name, "migrate", "compose"]);
    composeName(seed.target.compose, ["seeds", "postgres", name, "target", "compose"]);
    if (!seed.target.compose && !seed.target.service) {
      out.push({ path: ["seeds", "postgres", name, "target"], message: `seeds.postgres.${name}.target names neither a compose service nor a Kubernetes Service`, hint: 'e.g. target: { compose: "postgres", service: "postgres", port: 5432 }' });
    }
  }
  for (const [name, seed] of Object.entries(config.seeds.redis)) {
    const files = Array.isArray(seed.fixtures) ? seed.fixtures : [seed.fixtures];
    files.forEach((f, i) => {
      if (!existsSync(abs(f))) out.push({ path: ["seeds", "redis", name, "fixtures", ...(Array.isArray(seed.fixtures) ? [i] : [])], message: `seeds.redis.${name}.fixtures: not found: ${abs(f)}` });
    });
    if (!seed.target.compose && !seed.target.service) {
      out.push({ path: ["seeds", "redis", name, "target"], message: `seeds.redis.${name}.target names neither a compose service nor a Kubernetes Service`, hint: 'e.g. target: { compose: "redis", service: "redis", port: 6379 }' });
    }
  }

  for (const [obj, hint] of Object.entries(config.order)) {
    hint.after.forEach((dep, i) => {
      if (!/^[A-Za-z]+\/[-a-z0-9.]+$/.test(dep)) out.push({ path: ["order", obj, "after", i], message: `order["${obj}"].after[${i}] is "${dep}", expected kind/name`, hint: "e.g. statefulset/postgres" });
      if (dep.toLowerCase() === obj.toLowerCase()) out.push({ path: ["order", obj, "after", i], message: `order["${obj}"] waits for itself` });
    });
  }

  const cycle = orderCycle(config.order);
  if (cycle) out.push({ path: ["order", cycle[0]!], message: `order hints form a cycle: ${cycle.join(" → ")}`, hint: "remove one of these `after` entries: each object in the cycle waits for the next" });

  const ruleHint = "use a rule id from `devenv compare-compose --json` (e.g. env.extra), a family (env), or env.NAME for one variable";
  config.compare.ignore.forEach((id, i) => {
    if (!isIgnorableRule(id)) out.push({ path: ["compare", "ignore", i], message: `compare.ignore[${i}] "${id}" is not a compare-compose rule`, hint: ruleHint });
  });
  for (const [svc, ids] of Object.entries(config.compare.ignoreFor)) {
    ids.forEach((id, i) => {
      if (!isIgnorableRule(id)) out.push({ path: ["compare", "ignoreFor", svc, i], message: `compare.ignoreFor.${svc}[${i}] "${id}" is not a compare-compose rule`, hint: ruleHint });
    });
  }

  for (const [svc, workload] of Object.entries(config.compare.map)) {
    if (!workload) out.push({ path: ["compare", "map", svc], message: `compare.map.${svc} is empty` });
  }
  return out;
}

function realOrUndefined(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** The first cycle among `order` hints (kind/name compared case-insensitively), closed: `a → b → a`. */
export function orderCycle(order: Record<string, { after: string[] }>): string[] | undefined {
  const after = new Map<string, string[]>();
  const shown = new Map<string, string>();
  for (const [obj, hint] of Object.entries(order)) {
    after.set(obj.toLowerCase(), hint.after.map((d) => d.toLowerCase()));
    shown.set(obj.toLowerCase(), obj);
  }
  const done = new Set<string>();
  const visit = (n: string, chain: string[]): string[] | undefined => {
    const at = chain.indexOf(n);
    if (at >= 0) return [...chain.slice(at), n];
    if (done.has(n)) return undefined;
    for (const d of after.get(n) ?? []) {
      if (d === n) continue; // "waits for itself" is reported on its own
      const c = visit(d, [...chain, n]);
      if (c) return c;
    }
    done.add(n);
    return undefined;
  };
  for (const n of after.keys()) {
    const c = visit(n, []);
    if (c) return c.map((r) => shown.get(r) ?? r);
  }
  return undefined;
}

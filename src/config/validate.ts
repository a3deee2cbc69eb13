// Checks zod cannot make: paths that must exist, names that must be unique, combinations that
// cannot work. Pure apart from existsSync on the paths the config names.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { EnvConfig } from "./schema.js";

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
  if (cluster.registry.enabled && [cluster.ports.http, cluster.ports.https].includes(cluster.registry.port)) {
    out.push({ path: ["cluster", "registry", "port"], message: `cluster.registry.port ${cluster.registry.port} is also an ingress port`, hint: "pick another registry port, e.g. 5001" });
  }

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
      if (rule.from.startsWith("/") || rule.from.split("/").includes("..")) {
        out.push({ path: ["images", name, "sync", i, "from"], message: `images.${name}.sync[${i}].from must stay inside the build context`, hint: "write it relative to the context, without '..'" });
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
      m.files.forEach((f, i) => {
        if (!existsSync(abs(f))) out.push({ path: ["manifests", "files", i], message: `manifests.files[${i}]: not found: ${abs(f)}` });
      });
    }
  }

  if (config.compose) {
    config.compose.files.forEach((f, i) => {
      if (!existsSync(abs(f))) out.push({ path: ["compose", "files", i], message: `compose.files[${i}]: not found: ${abs(f)}` });
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

  for (const [svc, workload] of Object.entries(config.compare.map)) {
    if (!workload) out.push({ path: ["compare", "map", svc], message: `compare.map.${svc} is empty` });
  }
  return out;
}

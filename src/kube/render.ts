// Renders the manifests devenv.ts names (a kustomize directory through `kubectl kustomize`, or
// plain files/directories) into KubeObjects, with image references rewritten to what devenv
// built or overrides. Parsing and rewriting are pure; only the kustomize call runs a process.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import type { LoadedEnv } from "../config/load.js";
import type { BuiltImage, KubeObject } from "../steps/context.js";
import { configError } from "../errors/devenv-error.js";
import { run } from "../exec/runner.js";
import { resolveImageRef } from "../images/refs.js";
import { setSource } from "./sources.js";

/** Parses multi-document YAML into objects (expanding `kind: List`), naming `source` and the line on errors. */
export function parseManifests(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text, { prettyErrors: true })) {
    const line = doc.contents?.range ? text.slice(0, doc.contents.range[0]).split("\n").length : 1;
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      throw configError(`invalid YAML in ${source}: ${e.message.split("\n")[0]}`, `${source}:${e.linePos?.[0]?.line ?? line}:${e.linePos?.[0]?.col ?? 1}`, "fix the YAML syntax");
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    const items = (value as { kind?: string }).kind === "List" ? ((value as { items?: unknown[] }).items ?? []) : [value];
    for (const item of items) {
      const o = item as Partial<KubeObject>;
      if (!o || typeof o !== "object" || !o.apiVersion || !o.kind || !o.metadata?.name) {
        throw configError(`a manifest in ${source} lacks apiVersion, kind or metadata.name`, `${source}:${line}`, "every Kubernetes object needs apiVersion, kind and metadata.name");
      }
      out.push(setSource(o as KubeObject, `${source}:${line}`));
    }
  }
  return out;
}

/** Pod specs inside an object: Pod, workload templates, CronJob job templates. */
export function podSpecsOf(o: KubeObject): Record<string, any>[] {
  const spec = o.spec as Record<string, any> | undefined;
  if (!spec) return [];
  if (o.kind === "Pod") return [spec];
  if (o.kind === "CronJob") return spec.jobTemplate?.spec?.template?.spec ? [spec.jobTemplate.spec.template.spec] : [];
  return spec.template?.spec ? [spec.template.spec] : [];
}

/** Rewrites container images to the built content tags or overrides (in place; returns the objects). */
export function rewriteImages(objects: KubeObject[], built: Map<string, BuiltImage>, overrides: Record<string, string>): KubeObject[] {
  for (const o of objects) {
    for (const ps of podSpecsOf(o)) {
      for (const c of [...(ps.initContainers ?? []), ...(ps.containers ?? [])] as { image?: string }[]) {
        if (c.image) c.image = resolveImageRef(c.image, built, overrides);
      }
    }
  }
  return objects;
}

function manifestFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.endsWith(".example"))
    .sort()
    .map((f) => join(path, f));
}

/** Renders devenv.ts `manifests` (kustomize or files); [] when none are configured. */
export async function renderManifests(env: LoadedEnv, built: Map<string, BuiltImage>): Promise<KubeObject[]> {
  const m = env.config.manifests;
  if (!m) return [];
  const shown = (p: string) => relative(process.cwd(), p) || p;
  let objects: KubeObject[];
  if ("kustomize" in m) {
    const dir = join(env.root, m.kustomize);
    const r = await run("kubectl", ["kustomize", dir], { failHint: `fix the kustomization in ${shown(dir)}; \`kubectl kustomize ${shown(dir)}\` shows the same error`, installHint: "install kubectl ≥ 1.27 (devenv renders kustomize with it)" });
    objects = parseManifests(r.stdout, shown(dir));
  } else {
    objects = m.files.flatMap((f) => manifestFiles(join(env.root, f)).flatMap((file) => parseManifests(readFileSync(file, "utf8"), shown(file))));
  }
  return rewriteImages(objects, built, env.config.imageOverrides);
}

// Reads Kubernetes manifests: a kustomize directory rendered by the real `kubectl kustomize`,
// or plain manifest files / directories (multi-document YAML, `kind: List` flattened). One
// reader for `up` (render-manifests) and for compare-compose; each object remembers its file.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { DevenvError, ExitCode, configError } from "../errors/devenv-error.js";
import { run } from "../exec/runner.js";
import type { KubeObject } from "../model/index.js";
import { displayPath, parseYamlAll, readText } from "../files/yaml.js";
import { setLocator, setSource } from "./sources.js";

const KUSTOMIZATION = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/** Whether `dir` is a kustomize directory. */
export function isKustomizeDir(dir: string): boolean {
  return KUSTOMIZATION.some((f) => existsSync(join(dir, f)));
}

/** Objects from a path: kustomize dir → `kubectl kustomize`, else plain YAML files. */
export async function loadManifests(paths: string[], cwd = process.cwd()): Promise<KubeObject[]> {
  const out: KubeObject[] = [];
  for (const p of paths.map((x) => resolve(cwd, x))) {
    if (!existsSync(p)) throw configError(`Kubernetes manifests not found: ${displayPath(p)}`, displayPath(p), "pass --k8s DIR (a kustomize directory or a directory of YAML manifests)");
    if (statSync(p).isDirectory() && isKustomizeDir(p)) out.push(...(await renderKustomize(p)));
    else for (const f of yamlFiles(p)) out.push(...parseManifests(readText(f, "manifest"), f));
  }
  return out;
}

/** Runs `kubectl kustomize DIR`; kubectl's own message is passed through on failure (exit 2). */
export async function renderKustomize(dir: string): Promise<KubeObject[]> {
  let stdout: string;
  try {
    ({ stdout } = await run("kubectl", ["kustomize", dir], { installHint: "install kubectl (it bundles kustomize): https://kubernetes.io/docs/tasks/tools/ — or pass a directory of plain manifests", timeoutMs: 60_000 }));
  } catch (e) {
    if (!(e instanceof DevenvError)) throw e;
    const notInstalled = e.message.includes("not installed");
    throw new DevenvError(notInstalled ? "kubectl is not installed (needed to render the kustomize directory)" : `kustomize failed to render ${displayPath(dir)}`, {
      where: displayPath(dir),
      details: e.details,
      hint: notInstalled ? e.hint : "fix the kustomization (kubectl's message above), then check with `kubectl kustomize " + displayPath(dir) + "`",
      exitCode: ExitCode.usage,
      cause: e,
    });
  }
  const objects = parseManifests(stdout, `kubectl kustomize ${displayPath(dir)}`);
  // Positions in kustomize's output mean nothing to the user: name the directory instead.
  for (const o of objects) {
    const where = `${displayPath(dir)} (${o.kind}/${o.metadata.name})`;
    setSource(o, where);
    setLocator(o, () => where);
  }
  return objects;
}

/**
 * Parses a YAML stream into objects, flattening `List`s. Documents with neither `kind` nor
 * `apiVersion` are not Kubernetes objects (values files...) and are skipped; an object missing
 * apiVersion, kind or metadata.name is an error naming its file and line.
 */
export function parseManifests(text: string, file: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseYamlAll(text, file)) {
    const v = doc.value as KubeObject & { items?: KubeObject[] };
    if (!v || typeof v !== "object" || (typeof v.kind !== "string" && !v.apiVersion)) continue;
    const where = doc.where([]).replace(/:\d+$/, ""); // file:line of the document start
    const found = typeof v.kind === "string" && v.kind.endsWith("List") && Array.isArray(v.items) ? v.items.filter((i) => i && typeof i.kind === "string") : [v];
    for (const o of found) {
      if (!o.apiVersion || typeof o.kind !== "string" || typeof o.metadata?.name !== "string") {
        throw configError(`a manifest in ${file} lacks apiVersion, kind or metadata.name`, where, "every Kubernetes object needs apiVersion, kind and metadata.name");
      }
      const prefix = o === v ? [] : ["items", (v.items ?? []).indexOf(o)];
      setLocator(o, (path) => doc.where([...prefix, ...path]));
      out.push(setSource(o, where));
    }
  }
  return out;
}

function yamlFiles(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? yamlFiles(join(p, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? [join(p, e.name)] : []));
}

// Reads Kubernetes manifests: a kustomize directory rendered by the real `kubectl kustomize`,
// or plain manifest files / directories (multi-document YAML, `kind: List` flattened). One
// reader for `up` (render-manifests) and for compare-compose; each object remembers its file.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { DevenvError, ExitCode, configError } from "../errors/devenv-error.js";
import { run } from "../exec/runner.js";
import type { KubeObject } from "../model/index.js";
import { displayPath, parseYamlAll, readBytes } from "../files/yaml.js";
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
    else for (const f of yamlFiles(p)) out.push(...parseManifests(readUtf8(f), f));
  }
  return out;
}

/** Runs `kubectl kustomize DIR`; kubectl's own message is passed through on failure (exit 2). */
export async function renderKustomize(dir: string): Promise<KubeObject[]> {
  let stdout: string;
  const timeoutMs = kustomizeTimeoutMs();
  try {
    ({ stdout } = await run("kubectl", ["kustomize", dir], { installHint: "install kubectl (it bundles kustomize): https://kubernetes.io/docs/tasks/tools/ — or pass a directory of plain manifests", timeoutMs }));
  } catch (e) {
    if (!(e instanceof DevenvError)) throw e;
    if ((e.cause as { timedOut?: boolean } | undefined)?.timedOut) {
      throw new DevenvError(`\`kubectl kustomize ${displayPath(dir)}\` timed out after ${timeoutMs / 1000} s`, {
        where: displayPath(dir),
        ...(e.details ? { details: e.details } : {}),
        hint: `a remote base or a large Helm chart can take longer: raise the limit with DEVENV_KUSTOMIZE_TIMEOUT_MS=${timeoutMs * 2} (milliseconds), or check how long \`kubectl kustomize ${displayPath(dir)}\` takes`,
        cause: e,
      });
    }
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

const DEFAULT_KUSTOMIZE_TIMEOUT_MS = 60_000;

/** How long `kubectl kustomize` may take: DEVENV_KUSTOMIZE_TIMEOUT_MS, or 60 s. */
export function kustomizeTimeoutMs(value = process.env.DEVENV_KUSTOMIZE_TIMEOUT_MS): number {
  if (value === undefined || value === "") return DEFAULT_KUSTOMIZE_TIMEOUT_MS;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw configError(`DEVENV_KUSTOMIZE_TIMEOUT_MS is ${JSON.stringify(value)}, not a number of milliseconds`, "DEVENV_KUSTOMIZE_TIMEOUT_MS", "set it to a positive whole number of milliseconds, e.g. 120000, or unset it for the default (60000)");
  return n;
}

/** A manifest file's text; bytes that are not UTF-8 are an error naming the file, line and byte offset (not U+FFFD, silently). */
export function readUtf8(file: string): string {
  const bytes = readBytes(file, "manifest");
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const { offset, line } = firstInvalidUtf8(bytes);
    throw configError(`manifest ${displayPath(file)} is not UTF-8: invalid byte 0x${bytes[offset]!.toString(16).padStart(2, "0")} at byte offset ${offset}`, `${displayPath(file)}:${line}`, "Kubernetes manifests are UTF-8: re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)");
  }
}

/** The byte offset (and line) of the first invalid UTF-8 sequence in `bytes`, which holds one. */
export function firstInvalidUtf8(bytes: Uint8Array): { offset: number; line: number } {
  const text = new TextDecoder("utf-8").decode(bytes);
  const enc = new TextEncoder();
  let from = 0;
  for (;;) {
    const i = text.indexOf("\uFFFD", from);
    if (i < 0) return { offset: bytes.length, line: text.split("\n").length };
    const prefix = text.slice(0, i);
    const offset = enc.encode(prefix).length;
    // A real U+FFFD in the file is the bytes EF BF BD: not the invalid sequence.
    if (!(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return { offset, line: prefix.split("\n").length };
    from = i + 1;
  }
}

function yamlFiles(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? yamlFiles(join(p, e.name)) : /\.(ya?ml|json)$/.test(e.name) ? [join(p, e.name)] : []));
}

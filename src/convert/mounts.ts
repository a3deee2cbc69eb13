// Bind mounts → what the cluster can have. A config file or directory becomes a ConfigMap mounted
// at the same path (Kubernetes caps a ConfigMap at 1 MiB); the Docker socket a hostPath socket; a
// missing or empty host directory (a data directory compose fills) a PVC; source code (a build
// context, a directory inside or around one, or one holding code) is dropped: in the cluster the
// code is in the image. A probe, command or entrypoint using a path of a dropped mount is flagged.
// The plan is pure (planBindMount); readHostTree is the thin adapter that reads the host.
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import type { ComposeMount, ComposeProject, ComposeService } from "../compose/model.js";
import { looksSecret } from "../redact/secrets.js";

/** Kubernetes refuses a ConfigMap over 1 MiB (https://kubernetes.io/docs/concepts/configuration/configmap/). */
export const CONFIGMAP_MAX_BYTES = 1024 * 1024;
/** Directories with more files than this are not read further (they are not config). */
const MAX_FILES = 500;

export interface HostFile {
  /** Path relative to the mount source, `/`-separated (`""` when the source is a file). */
  path: string;
  bytes: Buffer;
  executable: boolean;
}

/** What the host has at a bind source, read once (readHostTree). */
export type HostTree =
  | { kind: "missing" }
  | { kind: "socket" }
  /** A path of the machine itself (`/proc`, `/sys`, `/dev`, ...): not read. */
  | { kind: "system" }
  | { kind: "unreadable"; error: string }
  | { kind: "file"; file: HostFile }
  | { kind: "dir"; files: HostFile[]; code?: string; truncated: boolean };

export type MountPlan =
  | { kind: "configMap"; name: string; data: Record<string, string>; binaryData: Record<string, string>; items?: { key: string; path: string }[]; subPath?: string; executable: boolean; bytes: number; note: string }
  | { kind: "hostPathSocket"; note: string }
  | { kind: "hostPath"; path: string; note: string }
  | { kind: "pvc"; name: string; note: string }
  | { kind: "dropped"; why: "code" | "too-big" | "secret" | "other"; note: string; /** the image is built from this source, so its paths likely exist there */ inImage: boolean };

const CODE_EXT = /\.(js|mjs|cjs|jsx|ts|tsx|py|rb|go|java|kt|kts|scala|php|rs|c|cc|cpp|h|hpp|cs|fs|vb|swift|ex|exs|erl|clj|dart|vue|svelte|groovy)$/i;
const CODE_MARKERS = new Set(["package.json", "go.mod", "requirements.txt", "pyproject.toml", "setup.py", "Gemfile", "pom.xml", "build.gradle", "build.gradle.kts", "Cargo.toml", "composer.json", "mix.exs", "Dockerfile", "node_modules", ".git"]);
/** A value that only names a variable (`${env:DB_PASSWORD}`, `$TOKEN`, `{{ .Values.x }}`): no secret itself. */
const VAR_REF = /^(\$\{[^}]+\}|\$[A-Za-z_]\w*|\{\{.*\}\}|%\([^)]+\)s?)$/;
const SECRET_FILE = /(^|[._-])(secrets?|passwords?|passwd|credentials?|tokens?)([._-]|$)|\.(key|pem|p12|pfx|jks|keystore)$|^\.env(\.|$)|^id_(rsa|dsa|ecdsa|ed25519)/i;

/** Reads what a bind source holds: a file's bytes, a directory's files (to MAX_FILES, stopping
 *  at code markers), a socket, or nothing. */
export function readHostTree(source: string): HostTree {
  if (isSystemPath(source)) return { kind: "system" };
  try {
    return readTree(source);
  } catch (e) {
    return { kind: "unreadable", error: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
}

/** The machine's own paths, which a container mounts to watch or drive the host: in the cluster
 *  they are the node's (a hostPath). */
const SYSTEM = /^\/(proc|sys|dev|run|var\/run|var\/lib\/docker|var\/log|lib\/modules|usr\/src|boot|etc|cgroup)(\/|$)|^\/$/;
export const isSystemPath = (p: string) => SYSTEM.test(p);

function readTree(source: string): HostTree {
  let st;
  try {
    st = lstatSync(source);
  } catch {
    return { kind: "missing" };
  }
  if (st.isSocket()) return { kind: "socket" };
  if (st.isFile()) return { kind: "file", file: { path: "", bytes: readFileSync(source), executable: (st.mode & 0o111) !== 0 } };
  if (!st.isDirectory()) return { kind: "missing" };
  const files: HostFile[] = [];
  let size = 0;
  const walk = (dir: string): string | undefined => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      const rel = relative(source, p).split(sep).join("/");
      if (CODE_MARKERS.has(e.name) || (e.isFile() && CODE_EXT.test(e.name))) return rel;
      if (files.length >= MAX_FILES || size > CONFIGMAP_MAX_BYTES) return undefined;
      if (e.isDirectory()) {
        const code = walk(p);
        if (code) return code;
      } else if (e.isFile()) {
        const s = lstatSync(p);
        size += s.size;
        files.push({ path: rel, bytes: size > CONFIGMAP_MAX_BYTES ? Buffer.alloc(0) : readFileSync(p), executable: (s.mode & 0o111) !== 0 });
      }
    }
    return undefined;
  };
  const code = walk(source);
  return { kind: "dir", files, code, truncated: files.length >= MAX_FILES || size > CONFIGMAP_MAX_BYTES };
}

const within = (path: string, dir: string) => path === dir || path.startsWith(dir.endsWith("/") ? dir : `${dir}/`);
const shown = (project: ComposeProject, p: string) => {
  const r = relative(project.workingDir, p).split(sep).join("/");
  return r.startsWith("..") ? p : `./${r}`;
};

/** A ConfigMap or Secret key: Kubernetes allows `[-._a-zA-Z0-9]+`; unique among `taken`. */
export function keyOf(path: string, taken: Set<string> = new Set()): string {
  const base = path.replace(/\//g, "__").replace(/[^-._a-zA-Z0-9]/g, "_") || "file";
  let key = base;
  for (let n = 2; taken.has(key); n++) key = `${base}-${n}`;
  taken.add(key);
  return key;
}

const isText = (b: Buffer) => !b.includes(0) && Buffer.from(b.toString("utf8"), "utf8").equals(b);
const secretText = (b: Buffer) => isText(b) && /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(b.toString("utf8"));

/** What one bind mount of `s` becomes. `name` is the ConfigMap/PVC name to use. Pure. */
export function planBindMount(project: ComposeProject, s: ComposeService, m: ComposeMount, tree: HostTree, name: string): MountPlan {
  const src = m.source ?? "";
  const what = `bind mount ${shown(project, src)} → ${m.target}`;
  const contexts = Object.values(project.services).flatMap((o) => (o.build && !/^[a-z]+:\/\//i.test(o.build.context) ? [o.build.context.replace(/\/+$/, "")] : []));
  const own = s.build ? s.build.context.replace(/\/+$/, "") : undefined;
  // A build context at the project's root (or above) holds everything: then the files decide.
  const ownIsRoot = own !== undefined && within(project.workingDir.replace(/\/+$/, ""), own);
  const inImage = own !== undefined && (within(own, src) || (within(src, own) && !ownIsRoot && (tree.kind !== "file" || CODE_EXT.test(src))));
  if (tree.kind === "socket" || /^\/(var\/)?run\/docker\.sock$/.test(src)) return { kind: "hostPathSocket", note: `${s.name}: ${what} becomes a hostPath socket (devenv mounts the host's Docker socket into the kind/k3d nodes)` };
  if (tree.kind === "system") return { kind: "hostPath", path: src, note: `${s.name}: ${what} becomes a hostPath volume: the node's ${src}, not your machine's (kind/k3d nodes are containers)` };
  if (tree.kind === "unreadable") return { kind: "dropped", why: "other", inImage, note: `${s.name}: ${what} dropped: convert cannot read it (${tree.error})` };
  // The service's own build context (or a directory inside or around it), or a directory holding
  // another service's build context: source code. Elsewhere the files decide.
  const ctx = inImage ? own : contexts.find((c) => within(c, src));
  if (ctx) return { kind: "dropped", why: "code", inImage, note: `${s.name}: ${what} dropped: it is source code (build context ${shown(project, ctx)}); in the cluster the code is in the image (devenv hot reload syncs it)` };
  if (tree.kind === "missing" || (tree.kind === "dir" && !tree.files.length && !tree.code)) {
    if (m.readOnly) return { kind: "dropped", why: "other", inImage, note: `${s.name}: ${what} dropped: ${tree.kind === "missing" ? "the host path does not exist" : "the directory is empty"} and the mount is read-only` };
    return { kind: "pvc", name, note: `${s.name}: ${what} becomes PersistentVolumeClaim/${name} (${tree.kind === "missing" ? "the host path does not exist here" : "the directory is empty"}: a data directory; it starts empty in the cluster)` };
  }
  if (tree.kind === "dir" && tree.code) return { kind: "dropped", why: "code", inImage, note: `${s.name}: ${what} dropped: it holds source code (${tree.code}); in the cluster the code is in the image (devenv hot reload syncs it)` };
  const files = tree.kind === "file" ? [{ ...tree.file, path: basename(src) }] : tree.files;
  // convert writes no secret value into the YAML: a secret-looking file (by name, a private key,
  // or a `KEY=value` / `key: value` line that looks secret) is not copied into a ConfigMap.
  const secretLine = (f: HostFile) => isText(f.bytes) && f.bytes.toString("utf8").split(/\r?\n/).some((line) => { const kv = /^\s*([A-Za-z_][\w.-]*)\s*[=:]\s*(\S+)\s*$/.exec(line); if (!kv) return false; const v = kv[2]!.replace(/^["']|["']$/g, ""); return !VAR_REF.test(v) && looksSecret(kv[1]!, v); });
  const secretFile = files.find((f) => SECRET_FILE.test(basename(f.path)) || secretText(f.bytes) || secretLine(f));
  if (secretFile) return { kind: "dropped", why: "secret", inImage, note: `${s.name}: ${what} dropped: ${secretFile.path} looks like it holds a secret, and convert writes no secret into the YAML: create a Secret from it (kubectl create secret generic --from-file) and mount it at ${m.target}` };
  const bytes = files.reduce((n, f) => n + (isText(f.bytes) ? f.bytes.length : Math.ceil(f.bytes.length / 3) * 4), 0);
  if ((tree.kind === "dir" && tree.truncated) || bytes > CONFIGMAP_MAX_BYTES) {
    const size = tree.kind === "dir" && tree.truncated ? `more than ${MAX_FILES} files or 1 MiB` : `${(bytes / 1048576).toFixed(1)} MiB`;
    return { kind: "dropped", why: "too-big", inImage, note: `${s.name}: ${what} dropped: ${size} is over the 1 MiB a ConfigMap can hold; put the files into the image or a PersistentVolumeClaim` };
  }
  const taken = new Set<string>();
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  const items: { key: string; path: string }[] = [];
  for (const f of files) {
    const key = keyOf(f.path, taken);
    if (isText(f.bytes)) data[key] = f.bytes.toString("utf8");
    else binaryData[key] = f.bytes.toString("base64");
    items.push({ key, path: f.path });
  }
  const executable = files.some((f) => f.executable || /\.sh$/.test(f.path));
  const ro = m.readOnly ? "" : " (read-only in the cluster: ConfigMap volumes are)";
  const note = `${s.name}: ${what} becomes ConfigMap/${name}${ro}, a copy: run convert again when ${tree.kind === "file" ? "the file changes" : "its files change"}`;
  if (tree.kind === "file") return { kind: "configMap", name, data, binaryData, subPath: items[0]!.key, executable, bytes, note };
  return { kind: "configMap", name, data, binaryData, items: items.some((i) => i.key !== i.path) ? items : undefined, executable, bytes, note };
}

/** Paths of a dropped mount used by the service's healthcheck, command or entrypoint (or its
 *  working_dir), with the field: `["healthcheck", "/healthchecks/postgres.sh"]`. */
export function usesOfDropped(target: string, fields: Record<string, string[] | undefined>): [string, string][] {
  const t = target.replace(/\/+$/, "") || "/";
  const out: [string, string][] = [];
  for (const [field, argv] of Object.entries(fields)) {
    for (const word of (argv ?? []).flatMap((a) => a.split(/[\s'"`;|&()<>=,]+/))) {
      if (word && (word === t || word.startsWith(`${t}/`)) && !out.some(([f, w]) => f === field && w === word)) out.push([field, word]);
    }
  }
  return out;
}

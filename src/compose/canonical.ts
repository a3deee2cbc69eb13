// Turns one file's raw service (already interpolated) into the long syntax, so files can be
// merged field by field: environment/labels → maps, depends_on → map with conditions,
// ports/volumes → long form, build → long form with an absolute context. Pure.
import { isAbsolute, posix, resolve } from "node:path";
import { homedir } from "node:os";
import { configError } from "../errors/devenv-error.js";

export type Raw = Record<string, unknown>;
/** Locates a path inside the service for error messages. */
export type Where = (path: (string | number)[]) => string;

export function isMap(v: unknown): v is Raw {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Canonical (long-syntax) copy of a raw service; relative paths resolve against `baseDir`. */
export function canonicalService(raw: unknown, name: string, baseDir: string, where: Where): Raw {
  if (!isMap(raw)) throw configError(`service "${name}" must be a mapping`, where([]), "write the service as `name:` followed by indented fields");
  const s: Raw = { ...raw };
  if ("environment" in s) s.environment = keyValues(s.environment, "environment", where);
  if ("labels" in s) s.labels = keyValues(s.labels, "labels", where);
  if ("depends_on" in s) s.depends_on = dependsOn(s.depends_on, where);
  if ("ports" in s) s.ports = listOf(s.ports, "ports", where).flatMap((p, i) => port(p, () => where(["ports", i])));
  if ("expose" in s) s.expose = listOf(s.expose, "expose", where).flatMap((p) => portRange(String(p).replace(/\/\w+$/, "")));
  if ("volumes" in s) s.volumes = listOf(s.volumes, "volumes", where).map((v, i) => mount(v, baseDir, () => where(["volumes", i])));
  if ("secrets" in s) s.secrets = listOf(s.secrets, "secrets", where).map((v, i) => fileGrant(v, "secret", () => where(["secrets", i])));
  if ("configs" in s) s.configs = listOf(s.configs, "configs", where).map((v, i) => fileGrant(v, "config", () => where(["configs", i])));
  if ("env_file" in s) s.env_file = envFiles(s.env_file, baseDir);
  if ("build" in s) s.build = build(s.build, baseDir);
  if (isMap(s.healthcheck) && typeof s.healthcheck.test === "string") s.healthcheck = { ...s.healthcheck, test: ["CMD-SHELL", s.healthcheck.test] };
  if (typeof s.extends === "string") s.extends = { service: s.extends };
  if (isMap(s.extends) && typeof s.extends.file === "string") s.extends = { ...s.extends, file: resolve(baseDir, s.extends.file) };
  return s;
}

function listOf(v: unknown, field: string, where: Where): unknown[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw configError(`${field} must be a list`, where([field]), `write each entry on its own "- " line`);
  return v;
}

/** `["A=1", "B"]` or `{A: 1, B: null}` → `{A: "1", B: null}`. */
export function keyValues(v: unknown, field: string, where: Where): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (v === null || v === undefined) return out;
  if (Array.isArray(v)) {
    for (const entry of v) {
      const text = String(entry);
      const eq = text.indexOf("=");
      if (eq < 0) out[text] = null;
      else out[text.slice(0, eq)] = text.slice(eq + 1);
    }
    return out;
  }
  if (!isMap(v)) throw configError(`${field} must be a list of KEY=VALUE or a mapping`, where([field]), undefined);
  for (const [k, val] of Object.entries(v)) out[k] = val === null || val === undefined ? null : String(val);
  return out;
}

function dependsOn(v: unknown, where: Where): Raw {
  const out: Raw = {};
  if (Array.isArray(v)) {
    for (const name of v) out[String(name)] = { condition: "service_started", required: true, restart: false };
    return out;
  }
  if (!isMap(v)) throw configError("depends_on must be a list of services or a mapping", where(["depends_on"]), undefined);
  for (const [name, spec] of Object.entries(v)) {
    const d = isMap(spec) ? spec : {};
    const condition = d.condition ?? "service_started";
    if (!["service_started", "service_healthy", "service_completed_successfully"].includes(String(condition))) {
      throw configError(`depends_on.${name}.condition is "${String(condition)}"`, where(["depends_on", name, "condition"]), "use service_started, service_healthy or service_completed_successfully");
    }
    out[name] = { condition, required: d.required !== false, restart: d.restart === true };
  }
  return out;
}

function portRange(text: string): number[] {
  const [a, b] = text.split("-").map(Number);
  if (a === undefined || !Number.isInteger(a)) return [];
  if (b === undefined || !Number.isInteger(b)) return [a];
  return Array.from({ length: Math.max(0, b - a + 1) }, (_, i) => a + i);
}

function port(p: unknown, at: () => string): Raw[] {
  if (isMap(p)) {
    const target = Number(p.target);
    if (!Number.isInteger(target)) throw configError("a long-syntax port needs a numeric target", at(), "write `target: 8080`");
    const out: Raw = { target, protocol: p.protocol ?? "tcp" };
    if (p.published !== undefined && p.published !== null && p.published !== "") out.published = String(p.published);
    if (p.host_ip) out.host_ip = String(p.host_ip);
    return [out];
  }
  let text = String(p).trim();
  let protocol = "tcp";
  const slash = /\/(tcp|udp|sctp)$/.exec(text);
  if (slash) {
    protocol = slash[1]!;
    text = text.slice(0, slash.index);
  }
  let hostIp: string | undefined;
  const v6 = /^\[([^\]]+)\]:/.exec(text);
  if (v6) {
    hostIp = v6[1];
    text = text.slice(v6[0].length);
  }
  const parts = text.split(":");
  if (!hostIp && parts.length === 3) hostIp = parts.shift();
  const targets = portRange(parts[parts.length - 1]!);
  if (targets.length === 0 || parts.length > 2) throw configError(`cannot read port "${String(p)}"`, at(), 'write "HOST:CONTAINER", e.g. "8080:80", or a long-syntax mapping');
  const published = parts.length === 2 && parts[0] !== "" ? portRange(parts[0]!) : [];
  return targets.map((target, i) => {
    const out: Raw = { target, protocol };
    if (published.length === targets.length) out.published = String(published[i]);
    else if (parts.length === 2 && parts[0] !== "") out.published = parts[0];
    if (hostIp) out.host_ip = hostIp;
    return out;
  });
}

function hostPath(p: string, baseDir: string): string {
  if (p === "~" || p.startsWith("~/")) return resolve(homedir(), p.slice(2));
  return isAbsolute(p) ? resolve(p) : resolve(baseDir, p);
}

/** A container path as compose prints it: cleaned, no trailing slash (`/etc/app/` → `/etc/app`). */
function cleanTarget(p: string): string {
  return p.startsWith("/") ? posix.normalize(p).replace(/(.)\/+$/, "$1") : p;
}

function mount(v: unknown, baseDir: string, at: () => string): Raw {
  if (isMap(v)) {
    const type = String(v.type ?? "volume");
    if (!v.target) throw configError("a long-syntax volume needs a target", at(), "write `target: /path/in/container`");
    const out: Raw = { type, target: cleanTarget(String(v.target)), read_only: v.read_only === true };
    if (v.source) out.source = type === "bind" ? hostPath(String(v.source), baseDir) : String(v.source);
    return out;
  }
  const text = String(v);
  const parts = text.split(":");
  // Windows drive letters (`C:\x:/y`) are out of scope; the short syntax is SRC:DST[:MODE] or DST.
  if (parts.length === 1) return { type: "volume", target: cleanTarget(text), read_only: false };
  const [src, dst, mode = ""] = parts as [string, string, string?];
  if (!dst) throw configError(`cannot read volume "${text}"`, at(), 'write "SOURCE:/path" or "/path"');
  const readOnly = mode.split(",").includes("ro");
  const isPath = src.startsWith(".") || src.startsWith("/") || src.startsWith("~");
  return isPath ? { type: "bind", source: hostPath(src, baseDir), target: cleanTarget(dst), read_only: readOnly } : { type: "volume", source: src, target: cleanTarget(dst), read_only: readOnly };
}

/** A `secrets:` / `configs:` entry in long form with its absolute target: a secret goes to
 *  `/run/secrets/<target or name>` unless the target is absolute, a config to `/<name>` unless a
 *  target is given (compose-spec 05-services.md, `configs` and `secrets`, long syntax). */
function fileGrant(v: unknown, kind: "secret" | "config", at: () => string): Raw {
  const spec = typeof v === "string" ? { source: v } : isMap(v) ? v : undefined;
  if (!spec || typeof spec.source !== "string" || !spec.source) throw configError(`a ${kind}s entry needs a name`, at(), `write \`- my_${kind}\` or \`- source: my_${kind}\``);
  const t = typeof spec.target === "string" && spec.target ? spec.target : undefined;
  const target = kind === "secret" ? (t && t.startsWith("/") ? t : `/run/secrets/${t ?? spec.source}`) : t ? (t.startsWith("/") ? t : `/${t}`) : `/${spec.source}`;
  return { ...spec, target: cleanTarget(target) };
}

function envFiles(v: unknown, baseDir: string): Raw[] {
  const list = Array.isArray(v) ? v : [v];
  return list
    .filter((e) => e !== null && e !== undefined)
    .map((e) => (isMap(e) ? { path: resolve(baseDir, String(e.path)), required: e.required !== false } : { path: resolve(baseDir, String(e)), required: true }));
}

function build(v: unknown, baseDir: string): Raw {
  if (typeof v === "string") return { context: resolveContext(v, baseDir), dockerfile: "Dockerfile", args: {} };
  const b = isMap(v) ? v : {};
  const args = Array.isArray(b.args) || isMap(b.args) ? keyValues(b.args, "build.args", () => "") : {};
  return { ...b, context: resolveContext(String(b.context ?? "."), baseDir), dockerfile: b.dockerfile ?? "Dockerfile", args };
}

function resolveContext(ctx: string, baseDir: string): string {
  return /^[a-z]+:\/\//.test(ctx) || ctx.startsWith("git@") ? ctx : resolve(baseDir, ctx);
}

// Loads a compose setup the way `docker compose -f a -f b config` does, without needing
// docker compose: read each file, interpolate it, expand short syntax, merge in order,
// resolve `extends`, apply profiles, normalize. Every user error names file:line:col (exit 2).
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { configError } from "../errors/devenv-error.js";
import { canonicalService, isMap, type Raw } from "./canonical.js";
import { readDotenvFile } from "../files/dotenv.js";
import { interpolateTree, type InterpolationError, type Lookup } from "../files/interpolate.js";
import { mergeService } from "./merge.js";
import type { ComposeFileSource, ComposeProject, ComposeService, ComposeVolume } from "./model.js";
import { normalizeService } from "./normalize.js";
import { networkOwner } from "./roles.js";
import { displayPath, readYamlFile, type YamlDoc } from "../files/yaml.js";
import { validateComposeShape } from "./schema.js";

export interface LoadComposeOptions {
  /** Compose files in merge order (relative to `cwd`). */
  files: string[];
  cwd?: string;
  /** Interpolation env file; default `.env` beside the first file, if it exists. */
  envFile?: string;
  /** Profiles to enable; default COMPOSE_PROFILES from the environment. */
  profiles?: string[];
  projectName?: string;
  /** The shell environment (default process.env); it wins over the env file, as in Compose. */
  env?: Record<string, string | undefined>;
}

export interface LoadedCompose extends ComposeProject {
  /** Variables used without a value or default (Compose warns and uses ""). */
  unsetVariables: string[];
}

interface Declared {
  raw: Raw;
  doc: YamlDoc;
  baseDir: string;
}

export function loadCompose(opts: LoadComposeOptions): LoadedCompose {
  const cwd = opts.cwd ?? process.cwd();
  if (opts.files.length === 0) throw configError("no compose file given", undefined, "pass --compose FILE (repeatable) or set compose.files in devenv.ts");
  const files = opts.files.map((f) => resolve(cwd, f));
  const workingDir = dirname(files[0]!);
  const shell = opts.env ?? process.env;
  const dotenv = opts.envFile ? readDotenvFile(resolve(cwd, opts.envFile), (n) => shell[n]) : readDotenvFile(resolve(workingDir, ".env"), (n) => shell[n], true);
  const lookup: Lookup = (n) => shell[n] ?? dotenv[n];
  const unset = new Set<string>();

  const services = new Map<string, Declared>();
  const volumes: Record<string, ComposeVolume> = {};
  const networks: Record<string, Record<string, unknown>> = {};
  const secrets: Record<string, ComposeFileSource> = {};
  const configs: Record<string, ComposeFileSource> = {};
  let name = opts.projectName;
  // `include:` (Compose 2.20+): each included file is a project of its own, loaded first; its
  // relative paths resolve against its own directory, and its services may not be redefined.
  const includedFrom = new Map<string, string>();
  const addIncludes = (doc: YamlDoc, chain: string[]): void => {
    const list = (doc.value as Raw).include;
    if (!Array.isArray(list)) return;
    list.forEach((entry, i) => {
      const at = doc.where(["include", i]);
      const spec = typeof entry === "string" ? { path: entry } : isMap(entry) ? entry : undefined;
      const paths = spec ? (Array.isArray(spec.path) ? spec.path.map(String) : typeof spec.path === "string" ? [spec.path] : []) : [];
      if (!paths.length) throw configError("an include entry needs a path", at, "write `include: [other/compose.yml]` or `- path: other/compose.yml`");
      const incFiles = paths.map((x) => resolve(dirname(doc.file), x));
      const incDir = spec && typeof spec.project_directory === "string" ? resolve(dirname(doc.file), spec.project_directory) : dirname(incFiles[0]!);
      for (const f of incFiles) {
        if (chain.includes(f)) throw configError(`include cycle: ${[...chain, f].map(displayPath).join(" → ")}`, at, "remove one of the includes");
        const inc = readComposeFile(f, lookup, unset);
        addIncludes(inc, [...chain, f]);
        for (const [svc, raw] of Object.entries((inc.value as Raw).services as Raw)) {
          const prev = services.get(svc);
          if (prev && includedFrom.get(svc) !== f) throw configError(`service "${svc}" from included ${displayPath(f)} is also defined in ${displayPath(prev.doc.file)}`, inc.where(["services", svc]), "Compose refuses to redefine an included service: rename one, or extend it with `extends` instead");
          const canon = canonicalService(raw, svc, incDir, (p) => inc.where(["services", svc, ...p]));
          services.set(svc, { raw: prev ? mergeService(prev.raw, canon, isMap(raw) ? raw : undefined) : canon, doc: inc, baseDir: incDir });
          includedFrom.set(svc, f);
        }
        addTopLevel(inc.value as Raw, incDir);
      }
    });
  };
  const addTopLevel = (top: Raw, baseDir: string): void => {
    for (const [kind, into] of [["secrets", secrets], ["configs", configs]] as const) {
      for (const [n, spec] of Object.entries(isMap(top[kind]) ? (top[kind] as Raw) : {})) into[n] = fileSource(spec, baseDir, lookup);
    }
    for (const [v, spec] of Object.entries(isMap(top.volumes) ? top.volumes : {})) {
      const s = isMap(spec) ? spec : {};
      volumes[v] = { name: typeof s.name === "string" ? s.name : v, external: s.external === true || isMap(s.external), driver: typeof s.driver === "string" ? s.driver : undefined, labels: isMap(s.labels) ? (s.labels as Record<string, string>) : {} };
    }
    for (const [n, spec] of Object.entries(isMap(top.networks) ? top.networks : {})) networks[n] = { ...networks[n], ...(isMap(spec) ? spec : {}) };
  };
  for (const file of files) {
    const doc = readComposeFile(file, lookup, unset);
    const top = doc.value as Raw;
    if (!opts.projectName && typeof top.name === "string") name = top.name;
    addIncludes(doc, [file]);
    for (const [svc, raw] of Object.entries(top.services as Raw)) {
      if (includedFrom.has(svc)) throw configError(`service "${svc}" is also defined in included ${displayPath(includedFrom.get(svc)!)}`, doc.where(["services", svc]), "Compose refuses to redefine an included service: rename one, or extend it with `extends` instead");
      const canon = canonicalService(raw, svc, workingDir, (p) => doc.where(["services", svc, ...p]));
      const prev = services.get(svc);
      services.set(svc, { raw: prev ? mergeService(prev.raw, canon, isMap(raw) ? raw : undefined) : canon, doc, baseDir: workingDir });
    }
    addTopLevel(top, workingDir);
  }

  const resolved = new Map<string, Declared>();
  for (const svc of services.keys()) resolved.set(svc, resolveExtends(svc, services, lookup, unset, []));

  const active = new Set(opts.profiles ?? (shell.COMPOSE_PROFILES ?? "").split(",").filter(Boolean));
  const out: Record<string, ComposeService> = {};
  const disabled: string[] = [];
  for (const [svc, d] of resolved) {
    const profiles = Array.isArray(d.raw.profiles) ? d.raw.profiles.map(String) : [];
    if (profiles.length > 0 && !profiles.some((p) => active.has(p))) {
      disabled.push(svc);
      continue;
    }
    out[svc] = normalizeService(svc, d.raw, d.doc.file, lookup, (p) => d.doc.where(["services", svc, ...p]));
  }
  checkReferences(out, resolved);
  checkFileGrants(out, resolved, secrets, configs);
  checkDependencyCycles(out, resolved);
  checkPortRanges(out, resolved);
  return { name, files, workingDir, services: out, volumes, secrets, configs, networks, disabled, unsetVariables: [...unset].sort() };
}

/** Reads, shape-checks and interpolates one compose file. */
function readComposeFile(file: string, lookup: Lookup, unset: Set<string>): YamlDoc {
  const doc = readYamlFile(file, "compose file");
  if (!isMap(doc.value)) throw configError(`${displayPath(file)} is not a compose file: the top level must be a mapping`, doc.where([]), "start the file with `services:`");
  validateComposeShape(doc);
  if (!isMap(doc.value.services) && doc.value.services !== undefined) throw configError("services must be a mapping of service names", doc.where(["services"]), undefined);
  const onError = (e: InterpolationError, path: (string | number)[]): never => {
    throw configError(`${e.variable ? `variable ${e.variable}: ` : ""}${e.message} (in ${displayPath(file)})`, doc.where(path), e.kind === "syntax" ? e.hint : e.variable ? `set ${e.variable} in the shell or in the .env file (or pass --env-file)` : "fix the ${...} expression");
  };
  const value = interpolateTree(doc.value, lookup, onError, (n) => unset.add(n)) as Raw;
  return { ...doc, value: { ...value, services: value.services ?? {} } };
}

/** Applies `extends` (same file or `file:`), recursively, detecting cycles. */
function resolveExtends(svc: string, scope: Map<string, Declared>, lookup: Lookup, unset: Set<string>, chain: string[]): Declared {
  const d = scope.get(svc)!;
  const ext = d.raw.extends as { service?: string; file?: string } | undefined;
  if (!ext) return d;
  const at = d.doc.where(["services", svc, "extends"]);
  const key = `${ext.file ?? d.doc.file}#${ext.service}`;
  if (chain.includes(key)) throw configError(`extends cycle: ${[...chain, key].join(" → ")}`, at, "remove one of the extends");
  let baseScope = scope;
  if (ext.file) {
    if (!existsSync(ext.file)) throw configError(`service "${svc}" extends a file that does not exist: ${displayPath(ext.file)}`, d.doc.where(["services", svc, "extends", "file"]), `extends.file is relative to ${displayPath(d.doc.file)}'s directory: fix the path, or create the file`);
    const doc = readComposeFile(ext.file, lookup, unset);
    const baseDir = dirname(ext.file);
    baseScope = new Map(Object.entries(doc.value as Raw).flatMap(([k, v]) => (k === "services" && isMap(v) ? Object.entries(v) : [])).map(([n, raw]) => [n, { raw: canonicalService(raw, n, baseDir, (p) => doc.where(["services", n, ...p])), doc, baseDir }]));
  }
  if (!ext.service || !baseScope.has(ext.service)) {
    throw configError(`service "${svc}" extends "${ext.service ?? ""}", which is not defined${ext.file ? ` in ${displayPath(ext.file)}` : ""}`, at, "check the service name in extends");
  }
  const base = resolveExtends(ext.service, baseScope, lookup, unset, [...chain, key]);
  const { extends: _drop, ...own } = d.raw;
  return { ...d, raw: mergeService(base.raw, own) };
}

/** depends_on must not loop (compose refuses to start such a project). */
function checkDependencyCycles(services: Record<string, ComposeService>, declared: Map<string, Declared>): void {
  const state = new Map<string, "visiting" | "done">();
  const visit = (n: string, chain: string[]): void => {
    if (state.get(n) === "done") return;
    if (state.get(n) === "visiting") {
      const loop = [...chain.slice(chain.indexOf(n)), n];
      const from = loop[loop.length - 2]!;
      throw configError(`depends_on cycle: ${loop.join(" → ")}`, declared.get(from)?.doc.where(["services", from, "depends_on", n]), "remove one of the dependencies");
    }
    state.set(n, "visiting");
    for (const dep of Object.keys(services[n]?.dependsOn ?? {})) visit(dep, [...chain, n]);
    state.set(n, "done");
  };
  for (const n of Object.keys(services)) visit(n, []);
}

/** Container and host ports must be 1–65535 (ranges: each end). */
function checkPortRanges(services: Record<string, ComposeService>, declared: Map<string, Declared>): void {
  for (const s of Object.values(services)) {
    s.ports.forEach((p, i) => {
      const at = () => declared.get(s.name)?.doc.where(["services", s.name, "ports", i]);
      const bad = (n: number) => !Number.isInteger(n) || n < 1 || n > 65535;
      if (bad(p.target)) throw configError(`service "${s.name}": container port ${p.target} is out of range (1-65535)`, at(), "fix the port");
      for (const h of (p.published ?? "").split("-").filter(Boolean)) {
        if (bad(Number(h))) throw configError(`service "${s.name}": host port ${h} is out of range (1-65535)`, at(), "fix the published port");
      }
    });
  }
}

/** A top-level secret or config: its file (absolute), variable, inline content, or external. */
function fileSource(spec: unknown, baseDir: string, lookup: Lookup): ComposeFileSource {
  const s = isMap(spec) ? spec : {};
  return {
    file: typeof s.file === "string" ? resolve(baseDir, s.file) : undefined,
    environment: typeof s.environment === "string" ? s.environment : undefined,
    value: typeof s.environment === "string" ? lookup(s.environment) : undefined,
    content: typeof s.content === "string" ? s.content : undefined,
    external: s.external === true || isMap(s.external),
  };
}

/** Compose refuses a service granted a secret or config the top level does not define (compose-spec 05-services.md). */
function checkFileGrants(services: Record<string, ComposeService>, declared: Map<string, Declared>, secrets: Record<string, ComposeFileSource>, configs: Record<string, ComposeFileSource>): void {
  for (const svc of Object.values(services)) {
    svc.files.forEach((f) => {
      const defined = f.kind === "secret" ? secrets : configs;
      if (defined[f.source]) return;
      const d = declared.get(svc.name)!;
      const list = f.kind === "secret" ? "secrets" : "configs";
      const i = svc.files.filter((g) => g.kind === f.kind).indexOf(f);
      throw configError(`service "${svc.name}" is granted ${f.kind} "${f.source}", which the top-level ${list}: does not define`, d.doc.where(["services", svc.name, list, i]), `define it under the top-level \`${list}:\` (\`${f.source}: { file: ./${f.source}.txt }\`), or check the name`);
    });
  }
}

function checkReferences(services: Record<string, ComposeService>, declared: Map<string, Declared>): void {
  for (const svc of Object.values(services)) {
    for (const dep of Object.keys(svc.dependsOn)) {
      if (services[dep]) continue;
      if (declared.has(dep) && !svc.dependsOn[dep]!.required) {
        delete svc.dependsOn[dep];
        continue;
      }
      const d = declared.get(svc.name)!;
      const why = declared.has(dep) ? "is not enabled (its profile is off)" : "is not defined";
      throw configError(`service "${svc.name}" depends on "${dep}", which ${why}`, d.doc.where(["services", svc.name, "depends_on", dep]), declared.has(dep) ? "enable its profile (--profile / compose.profiles) or mark the dependency `required: false`" : "check the name under depends_on");
    }
    // network_mode: service:X needs X (compose refuses the file otherwise).
    const owner = networkOwner(svc);
    if (owner && !services[owner]) {
      throw configError(`service "${svc.name}" joins the network of "${owner}" (network_mode: service:${owner}), which ${declared.has(owner) ? "is not enabled (its profile is off)" : "is not defined"}`, declared.get(svc.name)!.doc.where(["services", svc.name, "network_mode"]), "check the name after service: in network_mode");
    }
  }
}

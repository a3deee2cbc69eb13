// Final step of loading: a merged canonical service → the typed ComposeService, with env_file
// entries read and the environment resolved. Pure apart from reading env files.
import { configError } from "../errors/devenv-error.js";
import { isMap, type Raw, type Where } from "./canonical.js";
import { readDotenvFile } from "../files/dotenv.js";
import type { Lookup } from "../files/interpolate.js";
import type { ComposeBuild, ComposeDependency, ComposeHealthcheck, ComposeMount, ComposePort, ComposeResourceSet, ComposeService } from "./model.js";
import { commandList, parseBytes, parseCpus, parseDuration } from "./units.js";

export function normalizeService(name: string, s: Raw, file: string, lookup: Lookup, where: Where): ComposeService {
  if (s.image === undefined && s.build === undefined) {
    throw configError(`service "${name}" has neither image nor build`, where([]), "add `image: repo:tag` or `build: ./dir` to the service");
  }
  const { environment, environmentSource } = resolveEnvironment(s, lookup);
  const deploy = isMap(s.deploy) ? s.deploy : {};
  const replicas = deploy.replicas ?? s.scale;
  const svc: ComposeService = {
    name,
    image: s.image === undefined || s.image === null ? undefined : String(s.image),
    build: isMap(s.build) ? toBuild(s.build) : undefined,
    command: commandList(s.command),
    entrypoint: commandList(s.entrypoint),
    environment,
    environmentSource,
    ports: ((s.ports as Raw[] | undefined) ?? []).map((p) => ({ target: Number(p.target), published: p.published as string | undefined, hostIp: p.host_ip as string | undefined, protocol: (p.protocol as ComposePort["protocol"]) ?? "tcp" })),
    expose: ((s.expose as number[] | undefined) ?? []).map(Number),
    volumes: ((s.volumes as Raw[] | undefined) ?? []).map((m) => ({ type: m.type as ComposeMount["type"], source: m.source as string | undefined, target: String(m.target), readOnly: m.read_only === true })),
    files: [...((s.secrets as Raw[] | undefined) ?? []).map((g) => ({ kind: "secret" as const, source: String(g.source), target: String(g.target) })), ...((s.configs as Raw[] | undefined) ?? []).map((g) => ({ kind: "config" as const, source: String(g.source), target: String(g.target) }))],
    dependsOn: (isMap(s.depends_on) ? s.depends_on : {}) as Record<string, ComposeDependency>,
    healthcheck: isMap(s.healthcheck) ? toHealthcheck(s.healthcheck) : undefined,
    restart: s.restart === undefined || s.restart === null ? undefined : String(s.restart),
    replicas: replicas === undefined || replicas === null ? undefined : Number(replicas),
    resources: isMap(deploy.resources) ? { limits: toResourceSet(deploy.resources.limits), reservations: toResourceSet(deploy.resources.reservations) } : undefined,
    profiles: Array.isArray(s.profiles) ? s.profiles.map(String) : [],
    labels: Object.fromEntries(Object.entries((s.labels as Record<string, string | null> | undefined) ?? {}).map(([k, v]) => [k, v ?? ""])),
    workingDir: typeof s.working_dir === "string" ? s.working_dir : undefined,
    user: s.user === undefined || s.user === null ? undefined : String(s.user),
    aliases: aliasesOf(s),
    extraHosts: extraHostsOf(s.extra_hosts),
    networkMode: typeof s.network_mode === "string" ? s.network_mode : undefined,
    locations: locationsOf(s, where),
    file,
  };
  return svc;
}

/** env_file entries in order, then `environment:`; a bare `KEY` takes its value from the shell / .env. */
function resolveEnvironment(s: Raw, lookup: Lookup): Pick<ComposeService, "environment" | "environmentSource"> {
  const environment: Record<string, string | null> = {};
  const environmentSource: Record<string, string> = {};
  for (const ef of (s.env_file as { path: string; required: boolean }[] | undefined) ?? []) {
    for (const [k, v] of Object.entries(readDotenvFile(ef.path, lookup, !ef.required))) {
      environment[k] = v;
      environmentSource[k] = ef.path;
    }
  }
  for (const [k, v] of Object.entries((s.environment as Record<string, string | null> | undefined) ?? {})) {
    environment[k] = v ?? lookup(k) ?? null;
    environmentSource[k] = "environment";
  }
  return { environment, environmentSource };
}

function toBuild(b: Raw): ComposeBuild {
  const args = Object.fromEntries(Object.entries((b.args as Record<string, string | null>) ?? {}).filter(([, v]) => v !== null)) as Record<string, string>;
  return { context: String(b.context), dockerfile: String(b.dockerfile ?? "Dockerfile"), target: b.target === undefined ? undefined : String(b.target), args };
}

function toHealthcheck(h: Raw): ComposeHealthcheck {
  const test = Array.isArray(h.test) ? h.test.map(String) : [];
  return {
    test,
    intervalMs: parseDuration(h.interval),
    timeoutMs: parseDuration(h.timeout),
    startPeriodMs: parseDuration(h.start_period),
    retries: h.retries === undefined ? undefined : Number(h.retries),
    disabled: h.disable === true || test[0] === "NONE",
  };
}

function toResourceSet(v: unknown): ComposeResourceSet | undefined {
  if (!isMap(v)) return undefined;
  return { cpus: parseCpus(v.cpus), memoryBytes: parseBytes(v.memory) };
}

/** Names other containers reach the service by, besides its own name. */
function aliasesOf(s: Raw): string[] {
  const out: string[] = [];
  if (typeof s.container_name === "string") out.push(s.container_name);
  if (typeof s.hostname === "string") out.push(s.hostname);
  if (isMap(s.networks)) for (const n of Object.values(s.networks)) if (isMap(n) && Array.isArray(n.aliases)) out.push(...n.aliases.map(String));
  return out;
}

/** `extra_hosts` in list (`host:ip`, `host=ip`) or map form → the host names. */
function extraHostsOf(v: unknown): string[] {
  if (isMap(v)) return Object.keys(v);
  if (!Array.isArray(v)) return [];
  return v.map((e) => String(e).split(/[=:]/)[0]!.trim()).filter(Boolean);
}

/** `file:line` of environment entries (`environment.NAME`), ports (`ports.N`) and `command`. */
function locationsOf(s: Raw, where: Where): Record<string, string> {
  const out: Record<string, string> = {};
  const at = (path: (string | number)[]) => {
    try {
      return where(path);
    } catch {
      return undefined;
    }
  };
  const put = (k: string, path: (string | number)[]) => {
    const w = at(path);
    if (typeof w === "string" && /:\d+/.test(w)) out[k] = w;
  };
  for (const k of Object.keys((s.environment as Record<string, unknown> | undefined) ?? {})) put(`environment.${k}`, ["environment", k]);
  ((s.ports as unknown[] | undefined) ?? []).forEach((_, i) => put(`ports.${i}`, ["ports", i]));
  for (const k of ["command", "entrypoint", "image", "healthcheck"]) if (s[k] !== undefined) put(k, [k]);
  for (const list of ["secrets", "configs"]) ((s[list] as Raw[] | undefined) ?? []).forEach((g, i) => put(`files.${String(g.target)}`, [list, i]));
  return out;
}

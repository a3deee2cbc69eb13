// Runs a devenv.ts compose setup with docker compose: v2 (`docker compose`) where it exists,
// else v1 (`docker-compose`). Every command carries the generated override (.devenv/), so the
// stack runs devenv's content-tagged images; `composeUp` waits for health itself because v1
// has no `--wait`.
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { writeStateFile } from "../files/state-dir.js";
import { join, resolve } from "node:path";
import type { LoadedEnv } from "../config/load.js";
import { docker } from "../docker/client.js";
import { DevenvError, ExitCode, configError } from "../errors/devenv-error.js";
import { run, spawn, tryRun, which } from "../exec/runner.js";
import { composeProjectName } from "./project-name.js";
import type { BuiltImage } from "../model/index.js";
import { loadCompose, type LoadedCompose } from "./load.js";
import { planComposeOverride, renderOverride, type ComposeOverride } from "./override.js";
import { restartProcesses } from "../images/process-supervisor.js";
import { isOneShot, volumeUsers } from "./roles.js";
import { inputsKey, readUpStamp, stampHolds, writeUpStamp } from "./up-stamp.js";
import { done, failed, notYet, waitFor, type Explanation } from "../wait/wait.js";

export interface ComposeCli {
  /** Executable and leading args: `docker compose` or `docker-compose`. */
  cmd: string;
  pre: string[];
  version: 1 | 2;
}

let detected: Promise<ComposeCli> | undefined;

/** Which compose is installed; asked once per process. */
export function detectCompose(): Promise<ComposeCli> {
  detected ??= (async () => {
    if (await which("docker")) {
      const v2 = await tryRun("docker", ["compose", "version"]).catch(() => undefined);
      if (v2?.exitCode === 0) return { cmd: "docker", pre: ["compose"], version: 2 as const };
    }
    const v1 = await which("docker-compose");
    if (v1) return { cmd: v1, pre: [], version: 1 as const };
    throw new DevenvError("Docker Compose is not installed (neither `docker compose` nor `docker-compose` works)", {
      hint: "install the Compose plugin (Docker Desktop has it; Debian: apt-get install docker-compose), then run `devenv doctor`",
    });
  })();
  detected.catch(() => (detected = undefined));
  return detected;
}

/** The compose setup devenv.ts declares, loaded with devenv's own reader. */
export function loadEnvCompose(env: LoadedEnv): LoadedCompose {
  const c = env.config.compose;
  if (!c) throw configError("devenv.ts declares no compose setup", `${env.file} (compose)`, 'add compose: { files: ["docker-compose.yml"] } to use --target compose');
  return loadCompose({ files: c.files, cwd: env.root, envFile: c.envFile, profiles: c.profiles, projectName: composeProjectName(env) });
}

/** Where the override lives: one per project, so several stacks can run side by side. */
export function overridePath(env: LoadedEnv): string {
  return join(env.root, ".devenv", `compose.${composeProjectName(env)}.override.yml`);
}

/** Global compose args for this environment: project, files (+ the override, once written), env file, profiles. */
export function composeArgs(env: LoadedEnv, withOverride = true): string[] {
  const c = env.config.compose!;
  return [
    "-p", composeProjectName(env),
    ...c.files.flatMap((f) => ["-f", resolve(env.root, f)]),
    ...(withOverride && existsSync(overridePath(env)) ? ["-f", overridePath(env)] : []),
    ...(c.envFile ? ["--env-file", resolve(env.root, c.envFile)] : []),
    ...c.profiles.flatMap((p) => ["--profile", p]),
  ];
}

/** The override for these built images, its text, and the loaded project; writes nothing.
 *  The one place the override is computed: composeUp writes it, the compose-up check compares it. */
export async function planOverride(env: LoadedEnv, built: Map<string, BuiltImage>): Promise<ComposeOverride & { project: LoadedCompose; text: string }> {
  const project = loadEnvCompose(env);
  // Long-running services of afterSync "restart" images run under the process supervisor (their image's ENTRYPOINT/CMD behind it).
  const oneShot = new Set(Object.values(project.services).filter((s) => isOneShot(project, s)).map((s) => s.name));
  const o = planComposeOverride({ services: Object.values(project.services), images: env.config.images, root: env.root, built, imageOverrides: env.config.imageOverrides, processes: await restartProcesses(env, built), oneShot });
  // compose v1 reads a file whose `services:` is empty as a version-1 file and refuses to merge
  // it ("Version mismatch"): name every service, with nothing to change, when none is overridden.
  const doc = Object.keys(o.services).length > 0 ? o : { ...o, services: Object.fromEntries(Object.keys(project.services).map((n) => [n, {}])) };
  return { ...o, project, text: renderOverride(doc) };
}

/** Computes and writes the override for these built images. */
export async function writeOverride(env: LoadedEnv, built: Map<string, BuiltImage>): Promise<ComposeOverride & { project: LoadedCompose; text: string }> {
  const o = await planOverride(env, built);
  if (o.unbuilt.length > 0) {
    throw configError(`compose service${o.unbuilt.length > 1 ? "s" : ""} ${o.unbuilt.join(", ")} build${o.unbuilt.length > 1 ? "" : "s"} an image devenv.ts does not declare`, `${env.file} (images)`, "add the image to devenv.ts `images` with the same `image:` repository (or build context and dockerfile) as the compose service");
  }
  await mkdir(join(env.root, ".devenv"), { recursive: true });
  await writeStateFile(env.root, `compose.${composeProjectName(env)}.override.yml`, o.text);
  return o;
}

/**
 * "Already up?" for compose-up: every service runs its expected image and is ready (the engine,
 * read now), and the stamp of the last successful `up` still holds (same compose inputs and
 * override, the very same containers). Reads only.
 */
export async function composeUpToDate(env: LoadedEnv, built: Map<string, BuiltImage>): Promise<string | false> {
  const [o, states] = await Promise.all([planOverride(env, built), composePs(env).catch(() => [] as ServiceState[])]);
  const project = o.project;
  const ready = Object.values(project.services).every((svc) => {
    const mine = states.filter((s) => s.service === svc.name);
    const expected = o.expected[svc.name];
    return serviceVerdict(mine, isOneShot(project, svc)) === "ready" && (!expected || mine.every((s) => s.image === expected));
  });
  if (!ready) return false;
  const key = inputsKey(env, composeArgs(env, false), o.text);
  const ids = states.map((s) => s.id).filter((id): id is string => Boolean(id));
  return stampHolds(readUpStamp(env), key, ids) ? "running: every service runs its expected image, nothing changed since the last up" : false;
}

/** Runs `compose <args>` for this environment, buffering output (shown on failure). */
export async function compose(env: LoadedEnv, args: string[], failHint?: string) {
  const cli = await detectCompose();
  return run(cli.cmd, [...cli.pre, ...composeArgs(env), ...args], { cwd: env.root, failHint });
}

export interface ComposeUpOptions {
  /** How long to wait for every service to be healthy / done (default 180 s). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** `up -d --no-build --remove-orphans`, then waits until every service is healthy or done. */
export async function composeUp(env: LoadedEnv, built: Map<string, BuiltImage>, opts: ComposeUpOptions = {}): Promise<void> {
  writeUpStamp(env, undefined); // until this run has succeeded, nothing is known to be up
  const o = await writeOverride(env, built);
  const unused = unusedVolumes(o.project);
  const before = unused.length ? await projectVolumes(env) : [];
  try {
    await compose(env, ["up", "-d", "--no-build", "--remove-orphans"], "see the service's output above; `devenv logs <service> --target compose` shows more");
  } catch (e) {
    throw (await portConflict(env, o.project, e)) ?? e;
  } finally {
    if (unused.length) await removeNewUnusedVolumes(env, unused, before, opts.log);
  }
  const oneShot = new Set(Object.values(o.project.services).filter((s) => isOneShot(o.project, s)).map((s) => s.name));
  await waitForServices(env, Object.keys(o.project.services), oneShot, opts);
  const ids = (await composePs(env)).map((s) => s.id).filter((id): id is string => Boolean(id));
  writeUpStamp(env, { config: inputsKey(env, composeArgs(env, false), o.text), containers: ids });
}

/**
 * Top-level volumes no enabled service mounts (those of services whose profile is off). Compose
 * v2 does not create them; v1 creates every declared volume on `up`. Pure.
 */
export function unusedVolumes(project: Pick<LoadedCompose, "services" | "volumes">): string[] {
  const used = volumeUsers(project as LoadedCompose);
  return Object.entries(project.volumes)
    .filter(([key, v]) => !v.external && !used.has(key))
    .map(([key]) => key);
}

/** The project's volumes (their compose labels), as `key` → engine name. */
async function projectVolumes(env: LoadedEnv): Promise<{ key: string; name: string }[]> {
  const d = await docker();
  const vols = await d.volumes.list({ filters: { label: [`com.docker.compose.project=${composeProjectName(env)}`] } });
  return vols.map((v) => ({ key: v.Labels?.["com.docker.compose.volume"] ?? "", name: v.Name })).filter((v) => v.key);
}

/** Removes the unused volumes this `up` created (compose v1); ones that held data before stay. */
async function removeNewUnusedVolumes(env: LoadedEnv, unused: string[], before: { name: string }[], log?: (line: string) => void): Promise<void> {
  const d = await docker();
  const fresh = (await projectVolumes(env).catch(() => [])).filter((v) => unused.includes(v.key) && !before.some((b) => b.name === v.name));
  for (const v of fresh) {
    await d.volumes.remove(v.name).then(
      () => log?.(`removed volume ${v.name}: no enabled service uses it`),
      () => undefined, // in use after all: leave it
    );
  }
}

/** The host port in compose's "already allocated" / "address already in use" output, if any. Pure. */
export function conflictingPort(output: string): number | undefined {
  const m = /Bind for \S*?:(\d+) failed: port is already allocated/.exec(output) ?? /listen (?:tcp|udp)[46]? \S*?:(\d+): bind: address already in use/.exec(output);
  return m ? Number(m[1]) : undefined;
}

/** A failed `up` because a host port is taken: names the port, its holder, the service, and which services run. */
async function portConflict(env: LoadedEnv, project: LoadedCompose, e: unknown): Promise<DevenvError | undefined> {
  const output = e instanceof DevenvError ? `${e.message}\n${e.details ?? ""}` : String(e);
  const port = conflictingPort(output);
  if (port === undefined) return undefined;
  const { portOwner } = await import("../docker/host-ports.js");
  const states = await composePs(env).catch(() => [] as ServiceState[]);
  const owner = await portOwner(port).catch(() => undefined);
  const svc = Object.values(project.services).find((s) => s.ports.some((p) => publishedRange(p.published).includes(port)));
  const names = Object.keys(project.services);
  const running = names.filter((n) => states.some((s) => s.service === n && s.state === "running"));
  const notRunning = names.filter((n) => !running.includes(n));
  return new DevenvError(`host port ${port} is already in use${owner ? ` by ${owner}` : ""}${svc ? `: compose service "${svc.name}" publishes it` : ""}`, {
    where: svc ? (svc.locations[`ports.${svc.ports.findIndex((p) => publishedRange(p.published).includes(port))}`] ?? `${svc.file} (services.${svc.name}.ports)`) : undefined,
    details: `running: ${running.join(", ") || "none"}\nnot running: ${notRunning.join(", ") || "none"}`,
    hint: `stop ${owner ?? "what listens on that port"} (\`devenv doctor\` checks every port the stack publishes), or publish ${svc?.name ?? "the service"} on another host port; then run \`devenv up --target compose\` again`,
    cause: e,
  });
}

function publishedRange(published: string | undefined): number[] {
  const m = published === undefined ? null : /^(\d+)(?:-(\d+))?$/.exec(published.trim());
  if (!m) return [];
  const from = Number(m[1]);
  const to = Math.min(Number(m[2] ?? m[1]), from + 64);
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** What one service's containers are doing. */
export interface ServiceState {
  /** The container's id. */
  id?: string;
  service: string;
  image: string;
  /** running, exited, created, restarting... */
  state: string;
  /** healthy / unhealthy / starting, or undefined without a healthcheck. */
  health?: string;
  exitCode: number;
  /** Published ports: host port → container port/protocol (`8080` → `80/tcp`). */
  ports: { host: number; hostIp?: string; container: string }[];
}

/** The project's containers, from their compose labels (works the same for v1 and v2). */
export async function composePs(env: LoadedEnv): Promise<ServiceState[]> {
  const d = await docker();
  const list = await d.containers.list({ all: true, filters: { label: [`com.docker.compose.project=${composeProjectName(env)}`] } });
  return Promise.all(
    list.map(async (c) => {
      const info = await d.containers.inspect(c.Id);
      return {
        id: c.Id,
        service: c.Labels["com.docker.compose.service"] ?? c.Names[0] ?? c.Id,
        image: info.Config.Image,
        state: info.State.Status,
        health: info.State.Health?.Status,
        exitCode: info.State.ExitCode,
        ports: publishedPorts(info.NetworkSettings?.Ports),
      };
    }),
  );
}

/** Host bindings of a container's ports, one per host port (IPv4 and IPv6 bindings of the same port once). */
function publishedPorts(ports: Record<string, { HostIp?: string; HostPort?: string }[] | null> | undefined): ServiceState["ports"] {
  const out: ServiceState["ports"] = [];
  for (const [container, bindings] of Object.entries(ports ?? {})) {
    for (const b of bindings ?? []) {
      const host = Number(b.HostPort);
      if (!Number.isInteger(host) || host <= 0 || out.some((p) => p.host === host && p.container === container)) continue;
      out.push({ host, hostIp: b.HostIp || undefined, container });
    }
  }
  return out.sort((a, b) => a.host - b.host);
}

/**
 * Ready: running (and healthy if it has a healthcheck), or a one-shot service that exited 0.
 * A container that exited otherwise has failed; an unhealthy one may still recover (a slow
 * start on a busy machine), so it only fails when the wait times out.
 */
export function serviceVerdict(states: ServiceState[], oneShot: boolean): "ready" | "waiting" | "failed" {
  if (states.length === 0) return "waiting";
  for (const s of states) {
    if (s.state === "exited" || s.state === "dead") {
      if (!(oneShot && s.exitCode === 0)) return "failed";
    } else if (s.state !== "running" || (s.health !== undefined && s.health !== "healthy")) return "waiting";
  }
  return "ready";
}

async function waitForServices(env: LoadedEnv, services: string[], oneShot: Set<string>, opts: ComposeUpOptions): Promise<void> {
  let pending = services;
  await waitFor(
    "the compose services to be healthy",
    async () => {
      const all = await composePs(env);
      const verdicts = pending.map((svc) => [svc, serviceVerdict(all.filter((s) => s.service === svc), oneShot.has(svc))] as const);
      const bad = verdicts.find(([, v]) => v === "failed")?.[0];
      if (bad) return failed(`${bad}: ${stateOf(all, bad)}`, new DevenvError(`compose service "${bad}" failed: ${stateOf(all, bad)}`, await serviceReport(env, bad)));
      pending = verdicts.filter(([, v]) => v !== "ready").map(([svc]) => svc);
      if (pending.length === 0) return done();
      opts.log?.(`waiting for ${pending.join(", ")}`);
      return notYet(pending.map((svc) => `${svc}: ${stateOf(all, svc)}`).join("; "));
    },
    // On timeout, the first service still waited for is explained with its logs.
    { timeoutMs: opts.timeoutMs ?? 180_000, intervalMs: 1000, explain: () => (pending[0] ? serviceReport(env, pending[0]) : {}) },
  );
}

/** `running (starting)`, `exited, exit code 1`, or `no container`. */
function stateOf(all: ServiceState[], service: string): string {
  const s = all.find((x) => x.service === service);
  return s ? `${s.state}${s.health ? ` (${s.health})` : ""}${s.state === "exited" ? `, exit code ${s.exitCode}` : ""}` : "no container";
}

/** Where the service is declared, its last log lines, and what to do. */
async function serviceReport(env: LoadedEnv, service: string): Promise<Explanation> {
  const cli = await detectCompose();
  const logs = await tryRun(cli.cmd, [...cli.pre, ...composeArgs(env), "logs", "--no-color", "--tail", "20", service], { cwd: env.root }).catch(() => undefined);
  return {
    where: `${env.config.compose!.files[0]} (services.${service})`,
    details: logs ? `last log lines of ${service}:\n${logs.stdout.trim() || "(none)"}` : undefined,
    hint: `fix the service (or its healthcheck), then run \`devenv up --target compose\` again; \`devenv logs ${service} --target compose\` shows everything`,
  };
}

/** Stops the stack; `volumes` also deletes its named volumes (the data). */
export async function composeDown(env: LoadedEnv, opts: { volumes?: boolean } = {}): Promise<void> {
  await compose(env, ["down", "--remove-orphans", ...(opts.volumes ? ["-v"] : [])]);
}

/** Runs a one-shot service to completion (migrations), removing its container. */
export async function composeRun(env: LoadedEnv, service: string): Promise<string> {
  const r = await compose(env, ["run", "--rm", "-T", "--", service], `the one-shot service "${service}" failed; its output is above`);
  return r.stdout;
}

/** Streams a service's logs to this process's stdout (`follow` keeps streaming). */
export async function composeLogs(env: LoadedEnv, service: string, follow = false, tail?: number): Promise<void> {
  const known = Object.keys(loadEnvCompose(env).services);
  if (!known.includes(service)) {
    throw new DevenvError(`no compose service "${service}" in ${env.config.compose!.files.join(", ")}`, { exitCode: ExitCode.usage, hint: `services: ${known.join(", ")}` });
  }
  const cli = await detectCompose();
  const args = [...cli.pre, ...composeArgs(env), "logs", "--no-color", ...(follow ? ["-f"] : []), ...(tail === undefined ? [] : ["--tail", String(tail)]), service];
  try {
    await spawn(cli.cmd, args, { cwd: env.root, stdio: "inherit" });
  } catch (e) {
    throw new DevenvError(`\`${cli.cmd} logs ${service}\` failed`, { cause: e, hint: "is the stack up? `devenv up --target compose`" });
  }
}

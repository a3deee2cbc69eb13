// The process supervisor of `afterSync: "restart"`: a POSIX sh loop devenv puts in front of a
// service's command (compose override, dev pod spec), so a sync restarts only the process, not
// the container: no container stop/start, no network re-attach, no healthcheck reset, and in a
// pod the synced files stay. The sync agent signals it (SIGHUP) in the same exec that unpacked
// the files. Modelled on Tilt's restart_process (tilt-dev/rerun-process-wrapper start.sh and
// restart.sh; docs/hot-reload.md names the commits). The script text and the argv maths are
// pure; restartProcesses() reads the images' ENTRYPOINT/CMD through the docker funnel.
import type { LoadedEnv } from "../config/load.js";
import { docker } from "../docker/client.js";
import type { BuiltImage } from "../model/index.js";

/** Where the supervisor writes its PID; the sync agent reads it to signal a restart. */
export const SUPERVISOR_PIDFILE = "/tmp/.devenv-supervisor.pid";

/** $0 of the supervisor's shell: what `ps` shows in front of the service's command. */
export const SUPERVISOR_NAME = "devenv-supervise";

/**
 * Runs "$@" as a child and waits. SIGHUP: SIGTERM to the child, SIGKILL after
 * DEVENV_RESTART_GRACE seconds (default 2), then the command again at once. SIGTERM, SIGINT,
 * SIGQUIT: forwarded as SIGTERM (a non-interactive sh starts background commands with SIGINT
 * ignored), then it exits with the child's status, so `docker stop` and pod termination stay
 * clean. A child that exits by itself ends the supervisor with its status, except after a
 * restart: then it waits for the next sync (a syntax error does not kill the container). Being
 * PID 1, it reaps orphans: the shell's wait collects any child. The service keeps stdin (fd 3).
 */
export const SUPERVISOR_SCRIPT = [
  `echo $$ > ${SUPERVISOR_PIDFILE} 2>/dev/null`,
  "g=${DEVENV_RESTART_GRACE:-2}; c=; r=; s=; d=; n=; k=; p=",
  'f() { [ -n "$c" ] && kill -TERM "$c" 2>/dev/null; }',
  'h() { f; [ -n "$c" ] && { (sleep "$g"; kill -KILL "$c" 2>/dev/null) & k=$!; }; }',
  'z() { [ -n "$k" ] && kill "$k" 2>/dev/null; k=; }',
  // A signal can arrive between `&` and `c=$!` (the child is not known yet): p remembers it.
  "trap 'r=1; n=1; if [ -n \"$c\" ]; then h; else p=1; fi' HUP",
  "trap 's=1; r=; n=1; f' TERM INT QUIT",
  "exec 3<&0",
  "while :; do",
  '  r=; p=; "$@" <&3 3<&- & c=$!',
  '  [ -n "$s" ] && f; [ -n "$p" ] && { p=; h; }',
  '  while :; do n=; wait "$c"; e=$?; [ -z "$n" ] && break; done',
  "  z; c=",
  '  [ -n "$s" ] && exit "$e"',
  "  if [ -z \"$r\" ]; then",
  '    [ -z "$d" ] && exit "$e"',
  `    echo "${SUPERVISOR_NAME}: the process exited with status $e; the next sync restarts it" >&2`,
  '    while [ -z "$r$s" ]; do sleep 1 & c=$!; n=; wait "$c"; done; z; c=',
  '    [ -n "$s" ] && exit "$e"',
  "  fi",
  "  d=1",
  "done",
].join("\n");

/** Signals the supervisor with shell builtins only (no fork: it sits in the restart's path); true when one was there. */
export const HUP_SUPERVISOR = `{ read p < ${SUPERVISOR_PIDFILE}; } 2>/dev/null && kill -HUP "$p" 2>/dev/null`;

/** What a restart exec runs to signal the supervisor; prints `restarted` or `nosupervisor`. */
export const SIGNAL_SUPERVISOR = `${HUP_SUPERVISOR} && echo restarted || echo nosupervisor`;

/** A process as docker defines it: ENTRYPOINT then CMD. */
export interface ProcessSpec {
  entrypoint?: string[] | null;
  cmd?: string[] | null;
}

/**
 * The argv a container runs, Docker's rules: the service's entrypoint replaces the image's and
 * then drops the image's CMD; the service's command replaces the image's CMD. Pure.
 */
export function dockerArgv(service: { entrypoint?: string[]; command?: string[] }, image: ProcessSpec): string[] {
  const entrypoint = service.entrypoint ?? image.entrypoint ?? [];
  const cmd = service.command ?? (service.entrypoint ? [] : (image.cmd ?? []));
  return [...entrypoint, ...cmd];
}

/**
 * The argv a pod container runs, Kubernetes' rules: `command` replaces ENTRYPOINT (and drops
 * CMD), `args` replaces CMD. `imageParts` says which parts came from the image (they were never
 * subject to `$(VAR)` expansion). Pure.
 */
export function podArgv(container: { command?: string[]; args?: string[] }, image: ProcessSpec): { argv: string[]; fromImage: boolean[] } {
  const entrypoint = container.command ?? image.entrypoint ?? [];
  const cmd = container.args ?? (container.command ? [] : (image.cmd ?? []));
  const fromImage = [...entrypoint.map(() => !container.command), ...cmd.map(() => !container.args && !container.command)];
  return { argv: [...entrypoint, ...cmd], fromImage };
}

/** The supervisor's own argv: `sh -c <script> devenv-supervise`, the service's argv appended. */
export function supervisorEntrypoint(): string[] {
  return ["/bin/sh", "-c", SUPERVISOR_SCRIPT, SUPERVISOR_NAME];
}

/** Whether an argv already runs under the supervisor (idempotent wrapping). Pure. */
export function isSupervised(argv: readonly string[] | undefined): boolean {
  return !!argv && argv[0] === "/bin/sh" && argv[1] === "-c" && argv[3] === SUPERVISOR_NAME;
}

/** `$` doubled: compose interpolates `${VAR}`/`$VAR` in its files, Kubernetes `$(VAR)` in command/args; `$$` is a literal `$` in both. Pure. */
export function escapeDollars(s: string): string {
  return s.split("$").join("$$");
}

/** ENTRYPOINT/CMD of the built images whose afterSync is "restart" (they run under the supervisor), by devenv image name. */
export async function restartProcesses(env: Pick<LoadedEnv, "config">, built: Map<string, BuiltImage>): Promise<Map<string, ProcessSpec>> {
  const out = new Map<string, ProcessSpec>();
  const names = Object.keys(env.config.images).filter((n) => env.config.images[n]!.afterSync === "restart" && built.has(n));
  if (names.length === 0) return out;
  const d = await docker();
  await Promise.all(
    names.map(async (n) => {
      // An image that is not there (yet) runs unwrapped; its service cannot start anyway.
      const cfg = (await d.images.inspect(built.get(n)!.ref).catch(() => undefined))?.Config;
      if (cfg) out.set(n, { entrypoint: cfg.Entrypoint as string[] | null | undefined, cmd: cfg.Cmd as string[] | null | undefined });
    }),
  );
  return new Map(names.filter((n) => out.has(n)).map((n) => [n, out.get(n)!]));
}

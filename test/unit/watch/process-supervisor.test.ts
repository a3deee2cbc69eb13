// The process supervisor of afterSync "restart": which argv it wraps (Docker's and Kubernetes'
// ENTRYPOINT/CMD rules, shell and exec forms), what the compose override and the dev pod spec
// say, and the script itself run by this machine's /bin/sh: SIGHUP restarts the child, SIGTERM is
// forwarded and its status returned, a crash after a restart waits for the next sync, stdin reaches the child.
import { afterAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imageSchema } from "../../../src/config/schema.js";
import { planComposeOverride, renderOverride, supervised } from "../../../src/compose/override.js";
import { devSupervisor } from "../../../src/kube/render.js";
import { SUPERVISOR_NAME, SUPERVISOR_PIDFILE, SUPERVISOR_SCRIPT, dockerArgv, escapeDollars, podArgv, supervisorEntrypoint } from "../../../src/images/process-supervisor.js";
import type { KubeObject } from "../../../src/model/index.js";

describe("the argv the supervisor runs", () => {
  const image = { entrypoint: ["docker-entrypoint.sh"], cmd: ["node", "server.js"] };
  it("Docker: image ENTRYPOINT + CMD; a service command replaces CMD; a service entrypoint drops CMD", () => {
    expect(dockerArgv({}, image)).toEqual(["docker-entrypoint.sh", "node", "server.js"]);
    expect(dockerArgv({ command: ["node", "migrate.js"] }, image)).toEqual(["docker-entrypoint.sh", "node", "migrate.js"]);
    expect(dockerArgv({ entrypoint: ["tini", "--"] }, image)).toEqual(["tini", "--"]);
    expect(dockerArgv({ entrypoint: ["tini", "--"], command: ["node", "a.js"] }, image)).toEqual(["tini", "--", "node", "a.js"]);
    // A Dockerfile's shell form `CMD node server.js` is stored as sh -c: kept as it is.
    expect(dockerArgv({}, { entrypoint: null, cmd: ["/bin/sh", "-c", "node server.js"] })).toEqual(["/bin/sh", "-c", "node server.js"]);
  });
  it("Kubernetes: command replaces ENTRYPOINT and drops CMD, args replaces CMD; image parts are marked", () => {
    expect(podArgv({}, image)).toEqual({ argv: ["docker-entrypoint.sh", "node", "server.js"], fromImage: [true, true, true] });
    expect(podArgv({ args: ["node", "b.js"] }, image)).toEqual({ argv: ["docker-entrypoint.sh", "node", "b.js"], fromImage: [true, false, false] });
    expect(podArgv({ command: ["node"], args: ["c.js"] }, image)).toEqual({ argv: ["node", "c.js"], fromImage: [false, false] });
    expect(podArgv({ command: ["node", "d.js"] }, image)).toEqual({ argv: ["node", "d.js"], fromImage: [false, false] });
  });
});

describe("the compose override", () => {
  const images = {
    backend: imageSchema.parse({ image: "agentforge/backend", context: "services", dockerfile: "backend/Dockerfile", afterSync: "restart" }),
    worker: imageSchema.parse({ image: "agentforge/worker", context: "services", dockerfile: "worker/Dockerfile" }),
  };
  const built = new Map(["backend", "worker"].map((n) => [n, { name: n, repository: `agentforge/${n}`, ref: `agentforge/${n}:devenv-abc`, id: `sha256:${n}`, built: true }]));
  const services = [
    { name: "backend", image: "agentforge/backend" },
    { name: "shell", image: "agentforge/backend", command: ["sh", "-c", "echo $HOME && node server.js"] },
    { name: "migrate", image: "agentforge/backend", command: ["node", "migrate.js"] },
    { name: "worker", image: "agentforge/worker" },
  ];
  const processes = new Map([["backend", { entrypoint: null, cmd: ["node", "server.js"] }], ["worker", { cmd: ["node", "w.js"] }]]);
  const o = planComposeOverride({ services, images, root: "/repo", built, imageOverrides: {}, processes, oneShot: new Set(["migrate"]) });

  it("puts the supervisor in front of the image's CMD for a long-running service of an afterSync restart image", () => {
    expect(o.services.backend).toEqual({ image: "agentforge/backend:devenv-abc", entrypoint: supervisorEntrypoint().map(escapeDollars), command: ["node", "server.js"] });
    expect(o.services.backend!.entrypoint!.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(o.services.backend!.entrypoint![3]).toBe(SUPERVISOR_NAME);
  });
  it("keeps a service's own command, with `$` escaped so compose does not interpolate it again", () => {
    expect(o.services.shell!.command).toEqual(["sh", "-c", "echo $$HOME && node server.js"]);
    expect(o.services.shell!.entrypoint!.join(" ")).not.toMatch(/(^|[^$])\$[^$]/); // every $ of the script doubled
  });
  it("leaves one-shot services and images without afterSync restart alone", () => {
    expect(o.services.migrate).toEqual({ image: "agentforge/backend:devenv-abc" });
    expect(o.services.worker).toEqual({ image: "agentforge/worker:devenv-abc" });
    expect(planComposeOverride({ services, images, root: "/repo", built, imageOverrides: {} }).services.backend).toEqual({ image: "agentforge/backend:devenv-abc" });
  });
  it("renders as JSON compose reads; an image with nothing to run is not wrapped", () => {
    expect(JSON.parse(renderOverride(o).split("\n").slice(1).join("\n")).services.backend.command).toEqual(["node", "server.js"]);
    expect(supervised({}, { entrypoint: null, cmd: null })).toEqual({});
  });
});

describe("the dev pod spec", () => {
  const deployment = (container: Record<string, unknown>): KubeObject => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "backend" }, spec: { template: { spec: { containers: [{ name: "backend", image: "agentforge/backend:devenv-abc", ...container }, { name: "envoy", image: "envoy:1" }] } } } });
  const processes = new Map([["agentforge/backend", { entrypoint: ["docker-entrypoint.sh"], cmd: ["node", "$APP.js"] }]]);
  const containers = (o: KubeObject) => (o.spec as { template: { spec: { containers: { command?: string[]; args?: string[] }[] } } }).template.spec.containers;

  it("wraps the containers of the image (by repository), image parts `$`-escaped against $(VAR) expansion", () => {
    const objs = [deployment({})];
    expect(devSupervisor(objs, processes)).toEqual(["Deployment/backend container backend: runs under devenv's process supervisor (afterSync \"restart\" restarts the process, not the container)"]);
    const [c, sidecar] = containers(objs[0]!);
    expect(c!.command).toEqual(supervisorEntrypoint().map(escapeDollars));
    expect(c!.args).toEqual(["docker-entrypoint.sh", "node", "$$APP.js"]);
    expect(sidecar).toEqual({ name: "envoy", image: "envoy:1" });
    expect(devSupervisor(objs, processes)).toEqual([]); // already wrapped: idempotent
  });
  it("keeps the manifest's own command/args as written (their $(VAR) references still expand)", () => {
    const objs = [deployment({ command: ["node"], args: ["$(MODE).js"] })];
    devSupervisor(objs, processes);
    expect(containers(objs[0]!)[0]!.args).toEqual(["node", "$(MODE).js"]);
  });
  it("never wraps Jobs (a migration runs once) nor other images", () => {
    const job: KubeObject = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "migrate" }, spec: { template: { spec: { containers: [{ name: "m", image: "agentforge/backend:devenv-abc" }] } } } };
    expect(devSupervisor([job], processes)).toEqual([]);
    expect(devSupervisor([deployment({})], new Map())).toEqual([]);
  });
});

describe("the supervisor script under this machine's /bin/sh", () => {
  const dir = mkdtempSync(join(tmpdir(), "devenv-supervisor-"));
  const hadPidfile = existsSync(SUPERVISOR_PIDFILE);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    if (!hadPidfile) rmSync(SUPERVISOR_PIDFILE, { force: true });
  });
  // A generous deadline, never a timing assertion: spawning is slow on a loaded machine.
  const until = async (what: string, check: () => boolean, within = 20_000) => {
    const deadline = Date.now() + within;
    while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    if (!check()) throw new Error(`${what}: not within ${within / 1000} s`);
  };
  const pids = () => (existsSync(join(dir, "pids")) ? readFileSync(join(dir, "pids"), "utf8").trim().split("\n") : []);

  it("SIGHUP restarts the child (a shell-form command), stdin reaches it, SIGTERM is forwarded and its status returned", { timeout: 60_000 }, async () => {
    // A shell-form command: it records its PID and what arrives on stdin, then waits.
    const child = `echo $$ >> ${dir}/pids; read line; echo "$line" >> ${dir}/stdin; exec sleep 30`;
    const sup = spawn("/bin/sh", ["-c", SUPERVISOR_SCRIPT, SUPERVISOR_NAME, "/bin/sh", "-c", child], { stdio: ["pipe", "ignore", "pipe"], env: { ...process.env, DEVENV_RESTART_GRACE: "1" } });
    const exited = new Promise<number | null>((r) => sup.on("exit", (code) => r(code)));
    sup.stdin.write("first line\n");
    await until("the first child", () => pids().length === 1 && existsSync(join(dir, "stdin")));
    expect(readFileSync(SUPERVISOR_PIDFILE, "utf8").trim()).toBe(String(sup.pid));
    process.kill(sup.pid!, "SIGHUP");
    await until("the restarted child", () => pids().length === 2);
    expect(pids()[1]).not.toBe(pids()[0]);
    process.kill(sup.pid!, "SIGTERM");
    expect(await exited).toBe(143); // the child died of the forwarded SIGTERM
    expect(readFileSync(join(dir, "stdin"), "utf8")).toContain("first line");
  });

  it("a restart signalled before the supervisor knows its child's PID still restarts the child", { timeout: 60_000 }, async () => {
    rmSync(join(dir, "pids"), { force: true });
    // On a loaded machine a HUP can land between the fork (`&`) and `c=$!`. A sleep there widens
    // that window to make it certain; the first child signals its supervisor inside it.
    const fork = '"$@" <&3 3<&- & c=$!';
    expect(SUPERVISOR_SCRIPT).toContain(fork);
    const widened = SUPERVISOR_SCRIPT.replace(fork, '"$@" <&3 3<&- & sleep 0.5; c=$!');
    const child = `echo $$ >> ${dir}/pids; [ "$(wc -l < ${dir}/pids)" -eq 1 ] && kill -HUP $PPID; exec sleep 30`;
    const sup = spawn("/bin/sh", ["-c", widened, SUPERVISOR_NAME, "/bin/sh", "-c", child], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, DEVENV_RESTART_GRACE: "1" } });
    const exited = new Promise<number | null>((r) => sup.on("exit", (code) => r(code)));
    await until("the child restarted after a HUP sent before its PID was known", () => pids().length === 2);
    process.kill(sup.pid!, "SIGTERM");
    expect(await exited).toBe(143);
  });

  it("a child that fails after a restart leaves the supervisor waiting; the next SIGHUP starts it again", { timeout: 60_000 }, async () => {
    rmSync(join(dir, "pids"), { force: true });
    // Runs once fine, then fails on every later start until the flag file exists.
    const child = `echo $$ >> ${dir}/pids; n=$(wc -l < ${dir}/pids); if [ "$n" -gt 1 ] && [ ! -f ${dir}/fixed ]; then exit 7; fi; exec sleep 30`;
    const sup = spawn("/bin/sh", ["-c", SUPERVISOR_SCRIPT, SUPERVISOR_NAME, "/bin/sh", "-c", child], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    sup.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((r) => sup.on("exit", (code) => r(code)));
    await until("the first child", () => pids().length === 1);
    process.kill(sup.pid!, "SIGHUP");
    await until("the failing restart reported", () => stderr.includes("the process exited with status 7; the next sync restarts it"));
    writeFileSync(join(dir, "fixed"), "");
    process.kill(sup.pid!, "SIGHUP");
    await until("the fixed child", () => pids().length === 3);
    process.kill(sup.pid!, "SIGTERM");
    expect(await exited).toBe(143);
  });
});

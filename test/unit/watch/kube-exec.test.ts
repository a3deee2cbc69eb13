// The cluster path at the stream level: devenv's exec websocket (src/kube/exec.ts) talks to an in-process server
// that speaks the exec websocket protocol (v5.channel.k8s.io), records the command and stdin,
// and runs them against a temp directory standing in for the container's filesystem.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebSocketServer } from "ws";
import { KubeConfig } from "@kubernetes/client-node";
import { clientAgentStarter, clientExec, podContainersOf, podTarget, UNTAR } from "../../../src/watch/kube-target.js";
import { KubeRest } from "../../../src/kube/rest.js";
import { AGENT_COMMAND } from "../../../src/watch/sync-agent.js";
import { SIGNAL_SUPERVISOR } from "../../../src/images/process-supervisor.js";
import { clusterDriver, imagePatch } from "../../../src/watch/cluster-driver.js";
import { packCopies } from "../../../src/watch/tar.js";
import { ReloadSession } from "../../../src/watch/session.js";
import type { KubeObject } from "../../../src/model/index.js";
import { envWith } from "./fixtures.js";

const fsRoot = mkdtempSync(join(tmpdir(), "devenv-pod-fs-"));
const src = mkdtempSync(join(tmpdir(), "devenv-pod-src-"));
const seen: { pod: string; container: string; cmd: string[]; stdin: Buffer }[] = [];

const pod = (name: string, image: string, phase = "Running"): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: "demo" },
  spec: { containers: [{ name: "app", image }, { name: "sidecar", image: "envoy:1" }] },
  status: { phase },
});
const pods = [pod("web-1", "demo/web:devenv-aaa"), pod("web-2", "demo/web:devenv-aaa", "Pending"), pod("no-tar", "demo/web:devenv-aaa"), pod("db-0", "postgres:16")];

/** What the fake container does with a command: a status for channel 3, stdout for channel 1. */
function runInPod(podName: string, cmd: string[], stdin: Buffer): { status: object; stdout?: string } {
  const ok = { metadata: {}, status: "Success" };
  if (podName === "no-tar" && cmd[0] === "tar") {
    return { status: { metadata: {}, status: "Failure", reason: "InternalError", message: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "tar": executable file not found in $PATH: unknown' } };
  }
  if (cmd.join(" ") === UNTAR.join(" ")) {
    execFileSync("tar", ["xf", "-", "-C", fsRoot], { input: stdin });
    return { status: ok };
  }
  if (cmd[0] === "rm") {
    for (const p of cmd.slice(3)) rmSync(join(fsRoot, p), { recursive: true, force: true });
    return { status: ok };
  }
  if (cmd[0] === "pwd") return { status: ok, stdout: "/app\n" };
  // The restart signal: web-1 runs under the supervisor (dev pod spec), no-tar does not.
  if (cmd.join(" ") === `sh -c ${SIGNAL_SUPERVISOR}`) {
    if (podName === "web-1") restarts.push(`${podName} exec`);
    return { status: ok, stdout: podName === "web-1" ? "restarted\n" : "nosupervisor\n" };
  }
  return { status: { metadata: {}, status: "Failure", reason: "NonZeroExitCode", message: "command terminated with non-zero exit code: error executing command [false], exit code 3", details: { causes: [{ reason: "ExitCode", message: "3" }] } } };
}

/** Plays the agent's shell loop: "<n>[ restart]\n" + n tar bytes in, unpack, "ok 0[ restarted]\n" out. */
const agentSessions: { pod: string; tars: number }[] = [];
/** Process restarts the fake supervisor saw, with how they arrived (agent or exec). */
const restarts: string[] = [];
function playAgent(ws: import("ws").WebSocket, podName: string): void {
  if (podName === "no-tar") {
    // busybox-like: the coreutils check exits 3 before "ready".
    ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify({ status: "Failure", reason: "NonZeroExitCode", details: { causes: [{ reason: "ExitCode", message: "3" }] } }))]));
    return ws.close();
  }
  const session = { pod: podName, tars: 0 };
  agentSessions.push(session);
  ws.send(Buffer.concat([Buffer.from([1]), Buffer.from("ready\n")]));
  let buf = Buffer.alloc(0);
  ws.on("message", (data: Buffer) => {
    if (data[0] === 255) return ws.close(); // stdin closed: the loop ends
    buf = Buffer.concat([buf, data.subarray(1)]);
    for (;;) {
      const nl = buf.indexOf(10);
      if (nl < 0) return;
      const [count, restart] = buf.subarray(0, nl).toString().split(" ");
      const n = Number(count);
      if (buf.length < nl + 1 + n) return;
      if (n > 0) execFileSync("tar", ["xf", "-", "-C", fsRoot], { input: buf.subarray(nl + 1, nl + 1 + n) });
      buf = buf.subarray(nl + 1 + n);
      session.tars++;
      if (restart === "restart") restarts.push(`${podName} agent`);
      ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(restart === "restart" ? "ok 0 restarted\n" : "ok 0 \n")]));
    }
  });
}

let server: Server;
let rest: KubeRest;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith("/api/v1/namespaces/demo/pods")) {
      res.setHeader("content-type", "application/json");
      return res.end(JSON.stringify({ apiVersion: "v1", kind: "PodList", metadata: {}, items: pods }));
    }
    res.statusCode = 404;
    res.end();
  });
  const wss = new WebSocketServer({ server, handleProtocols: (protocols) => (protocols.has("v5.channel.k8s.io") ? "v5.channel.k8s.io" : false) });
  wss.on("connection", (ws, req) => {
    const url = new URL(req.url!, "http://x");
    const podName = url.pathname.split("/")[6]!;
    const cmd = url.searchParams.getAll("command");
    if (cmd.join("\0") === AGENT_COMMAND.join("\0")) return playAgent(ws, podName);
    const chunks: Buffer[] = [];
    const respond = () => {
      const stdin = Buffer.concat(chunks);
      seen.push({ pod: podName, container: url.searchParams.get("container")!, cmd, stdin });
      const r = runInPod(podName, cmd, stdin);
      if (r.stdout) ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(r.stdout)]));
      ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(r.status))]));
      ws.close();
    };
    if (url.searchParams.get("stdin") !== "true") return respond();
    ws.on("message", (data: Buffer) => {
      if (data[0] === 0) chunks.push(data.subarray(1));
      else if (data[0] === 255 && data[1] === 0) respond(); // v5: the client closed stdin
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: "t", server: `http://127.0.0.1:${port}`, skipTLSVerify: true }], users: [{ name: "u" }], contexts: [{ name: "c", cluster: "t", user: "u" }], currentContext: "c" });
  rest = new KubeRest(kc);
  mkdirSync(join(src, "public"), { recursive: true });
  writeFileSync(join(src, "public", "index.html"), "from the host");
  writeFileSync(join(src, "public", "app.js"), "console.log(1)");
});

afterAll(() => {
  server?.close();
  rmSync(fsRoot, { recursive: true, force: true });
  rmSync(src, { recursive: true, force: true });
});

describe("tar over exec into a pod", () => {
  it("streams exactly the sync tar into `tar xf - -C /` and the files land at the container paths", async () => {
    const archive = await packCopies(src, [
      { from: "public/index.html", to: "/app/public/index.html" },
      { from: "public/app.js", to: "/app/static/app.js" },
    ]);
    const target = podTarget(clientExec(rest, "demo"), { pod: "web-1", container: "app" });
    await target.sync(archive.tar, []);
    const call = seen.find((s) => s.cmd[0] === "tar")!;
    expect(call).toMatchObject({ pod: "web-1", container: "app", cmd: ["tar", "xf", "-", "-C", "/"] });
    expect(call.stdin.equals(archive.tar)).toBe(true);
    expect(readFileSync(join(fsRoot, "app/public/index.html"), "utf8")).toBe("from the host");
    expect(readFileSync(join(fsRoot, "app/static/app.js"), "utf8")).toBe("console.log(1)");
  });

  it("deletes removed files with rm -rf", async () => {
    const target = podTarget(clientExec(rest, "demo"), { pod: "web-1", container: "app" });
    await target.sync(Buffer.alloc(0), ["/app/static/app.js"]);
    expect(seen.at(-1)!.cmd).toEqual(["rm", "-rf", "--", "/app/static/app.js"]);
    expect(existsSync(join(fsRoot, "app/static/app.js"))).toBe(false);
    expect(existsSync(join(fsRoot, "app/public/index.html"))).toBe(true);
  });

  it("reads the working directory when the pod spec does not set one", async () => {
    expect(await podTarget(clientExec(rest, "demo"), { pod: "web-1", container: "app" }).workdir()).toBe("/app");
    expect(await podTarget(clientExec(rest, "demo"), { pod: "web-1", container: "app", workingDir: "/srv" }).workdir()).toBe("/srv");
  });

  it("a container without tar: a clear error naming the pod", async () => {
    const archive = await packCopies(src, [{ from: "public/index.html", to: "/app/public/index.html" }]);
    const target = podTarget(clientExec(rest, "demo"), { pod: "no-tar", container: "app" });
    const err = await target.sync(archive.tar, []).then(() => undefined, (e: unknown) => e as Error & { hint?: string });
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toBe("pod no-tar/app has no `tar`, so unpacking the synced files cannot run there");
    expect(err!.hint).toContain("add tar to the image");
  });

  it("an afterSync command that fails reports its exit code", async () => {
    const target = podTarget(clientExec(rest, "demo"), { pod: "web-1", container: "app" });
    await expect(target.after({ exec: ["false"] })).rejects.toThrow("`false` in pod web-1/app failed (exit code 3)");
  });

  it("a sync agent carries successive syncs over one exec connection", async () => {
    const start = clientAgentStarter(rest, "demo");
    const agent = await start({ pod: "web-1", container: "app" });
    expect(agent).toBeDefined();
    const target = podTarget(clientExec(rest, "demo"), { pod: "web-1", container: "app" }, async () => agent);
    const untarsBefore = seen.filter((x) => x.cmd[0] === "tar").length;
    for (const n of [1, 2, 3]) {
      writeFileSync(join(src, "public", "index.html"), `agent ${n}`);
      await target.sync((await packCopies(src, [{ from: "public/index.html", to: "/app/public/index.html" }])).tar, []);
      expect(readFileSync(join(fsRoot, "app/public/index.html"), "utf8")).toBe(`agent ${n}`);
    }
    expect(agentSessions.filter((x) => x.pod === "web-1").map((x) => x.tars)).toEqual([3]);
    expect(seen.filter((x) => x.cmd[0] === "tar").length).toBe(untarsBefore); // no per-sync exec
    agent!.close();
  });

  it("afterSync restart: the files and the supervisor's restart signal travel in the agent's one exec", async () => {
    const agent = await clientAgentStarter(rest, "demo")({ pod: "web-1", container: "app" });
    const target = podTarget(clientExec(rest, "demo"), { pod: "web-1", container: "app" }, async () => agent);
    const execsBefore = seen.length;
    restarts.length = 0;
    writeFileSync(join(src, "public", "index.html"), "restart me");
    const done = await target.sync((await packCopies(src, [{ from: "public/index.html", to: "/app/public/index.html" }])).tar, [], { restart: true });
    expect(done).toEqual({ restarted: true });
    expect(readFileSync(join(fsRoot, "app/public/index.html"), "utf8")).toBe("restart me");
    expect(restarts).toEqual(["web-1 agent"]);
    expect(seen.length).toBe(execsBefore); // no second exec, no rebuild, no rollout
    agent!.close();
  });

  it("afterSync restart without an agent: one exec signals the supervisor; a pod without it is a clear error", async () => {
    restarts.length = 0;
    await podTarget(clientExec(rest, "demo"), { pod: "web-1", container: "app" }).after("restart");
    expect(restarts).toEqual(["web-1 exec"]);
    const err = await podTarget(clientExec(rest, "demo"), { pod: "no-tar", container: "app" }).after("restart").then(() => undefined, (e: unknown) => e as Error & { hint?: string });
    expect(err?.message).toBe("pod no-tar/app does not run devenv's process supervisor, so afterSync \"restart\" cannot restart its process");
    expect(err?.hint).toContain("run `devenv up` again");
  });

  it("a session with afterSync restart on the cluster target syncs and restarts the pod's process: no rebuild, no rollout", async () => {
    // The context is `src`'s parent: the rule syncs public/ to /app/public.
    const root = join(src, "..");
    const env = envWith({ context: src.slice(root.length + 1), sync: [{ from: "public", to: "/app/public" }], afterSync: "restart" }, root);
    const driver = clusterDriver(env, rest, { provider: "existing", name: "x", context: "c", nodes: [] }, { build: async () => { throw new Error("no rebuild expected"); } });
    const session = new ReloadSession({ env, driver, images: new Map([["web", { name: "web", repository: "demo/web", ref: "demo/web:devenv-aaa", id: "sha256:a", built: true }]]), log: () => {} });
    try {
      await session.start();
      restarts.length = 0;
      writeFileSync(join(src, "public", "index.html"), "restarted in the pod");
      const report = await session.reload("web", [{ path: "public/index.html", kind: "change" }]);
      expect(report.kind).toBe("sync");
      // web-1 restarts in the agent's exec; no-tar (no agent, no tar) is reported and the others go on.
      expect(report.targets).toEqual(["pod web-1/app"]);
      expect(report.errors.map((e) => e.message)).toEqual(["pod no-tar/app has no `tar`, so unpacking the synced files cannot run there"]);
      expect(restarts).toEqual(["web-1 agent"]);
      expect(readFileSync(join(fsRoot, "app/public/index.html"), "utf8")).toBe("restarted in the pod");
    } finally {
      await driver.close?.();
    }
  });

  it("a pod that cannot run the agent falls back to one tar exec per sync", async () => {
    expect(await clientAgentStarter(rest, "demo")({ pod: "no-tar", container: "app" })).toBeUndefined();
  });

  it("the cluster driver targets the running pods of the image's repository only", async () => {
    const driver = clusterDriver(envWith({}), rest, { provider: "existing", name: "x", context: "c", nodes: [] });
    const targets = await driver.targets({ name: "web", repository: "demo/web", ref: "demo/web:devenv-bbb", id: "sha256:b", built: true });
    expect(targets.map((t) => t.label)).toEqual(["pod web-1/app", "pod no-tar/app"]);
  });

  it("the cluster driver reads a pod container's working directory once across reloads; a new pod or a new image reads it again", async () => {
    const driver = clusterDriver(envWith({}), rest, { provider: "existing", name: "x", context: "c", nodes: [] }, { agent: false });
    const web = { name: "web", repository: "demo/web", ref: "demo/web:devenv-aaa", id: "sha256:a", built: true };
    const from = seen.length;
    const pwds = () => seen.slice(from).filter((s) => s.cmd[0] === "pwd").map((s) => s.pod).sort();
    const workdirs = async () => Promise.all((await driver.targets(web)).map((t) => t.workdir()));
    expect(await workdirs()).toEqual(["/app", "/app"]);
    expect(await workdirs()).toEqual(["/app", "/app"]);
    expect(pwds()).toEqual(["no-tar", "web-1"]); // one `pwd` exec per pod container, not one per reload
    const web1 = pods[0]!;
    pods[0] = pod("web-1", "demo/web:devenv-bbb"); // the pod's image changed in place
    pods.push(pod("web-3", "demo/web:devenv-aaa")); // a new pod
    try {
      expect(await workdirs()).toEqual(["/app", "/app", "/app"]);
      expect(pwds()).toEqual(["no-tar", "web-1", "web-1", "web-3"]);
    } finally {
      pods[0] = web1;
      pods.pop();
    }
  });
});

describe("podContainersOf / imagePatch", () => {
  it("picks running pods' containers by repository", () => {
    expect(podContainersOf(pods, { repository: "postgres" })).toEqual([{ pod: "db-0", container: "app", workingDir: undefined, image: "postgres:16" }]);
  });

  it("patches only the containers that run the repository, and nothing when already current", () => {
    const deploy: KubeObject = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "demo" },
      spec: { template: { spec: { initContainers: [{ name: "migrate", image: "demo/web:devenv-aaa" }], containers: [{ name: "app", image: "demo/web:devenv-aaa" }, { name: "proxy", image: "envoy:1" }] } } },
    };
    expect(imagePatch(deploy, "demo/web", "demo/web:devenv-bbb")).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "demo" },
      spec: { template: { spec: { containers: [{ name: "app", image: "demo/web:devenv-bbb" }], initContainers: [{ name: "migrate", image: "demo/web:devenv-bbb" }] } } },
    });
    expect(imagePatch(deploy, "demo/web", "demo/web:devenv-aaa")).toBeUndefined();
    expect(imagePatch(deploy, "other/img", "other/img:1")).toBeUndefined();
  });
});

// `devenv status`, `devenv logs` and port-forwards on the same layer, against the test API server.
import { createServer as createHttpServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, connect, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { KubeRest } from "../../../src/kube/rest.js";
import { deployPhase } from "../../../src/kube/deploy.js";
import { streamLogs } from "../../../src/kube/logs.js";
import { openPortForward } from "../../../src/kube/port-forward.js";
import { startKubeApiServer, type KubeApiServer } from "../../helpers/kube-api-server/index.js";
import { devenv } from "../../helpers/cli.js";
import { NS, allGood, drive, stack } from "./fixtures.js";

let server: KubeApiServer;
let kc: KubeConfig;
let rest: KubeRest;
let kubeconfig: string;
let echo: Server;
let project: string;
let httpPort: number;

beforeAll(async () => {
  server = await startKubeApiServer();
  kubeconfig = server.kubeconfig();
  kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  rest = new KubeRest(kc);
  const stop = drive(server, allGood(server));
  const opts = { envName: "shop", namespace: NS, timeoutMs: 10_000 };
  await deployPhase(rest, stack(), "data", opts);
  await deployPhase(rest, stack(), "apps", opts);
  stop();
  echo = createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, "127.0.0.1", r));
  project = mkdtempSync(join(tmpdir(), "devenv-status-"));
  // A port nothing else here uses, so "nothing answers" holds while other test files run.
  const probe = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => probe.once("listening", r));
  httpPort = (probe.address() as { port: number }).port;
  await new Promise((r) => probe.close(r));
  writeFileSync(join(project, "devenv.ts"), `export default { name: "shop", cluster: { provider: "existing", context: "test", ports: { http: ${httpPort} } } };\n`);
});
afterAll(async () => {
  echo?.close();
  await server?.close();
});

describe("devenv status", () => {
  it("lists workloads with ready/desired and the Ingress URLs (--json)", async () => {
    const r = await devenv(["status", "--json"], { cwd: project, env: { KUBECONFIG: kubeconfig } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const st = JSON.parse(r.stdout);
    expect(st.workloads).toEqual([
      { kind: "StatefulSet", name: "postgres", ready: true, readyReplicas: 1, desired: 1, state: "ready" },
      { kind: "Deployment", name: "api", ready: true, readyReplicas: 1, desired: 1, state: "ready" },
      { kind: "Job", name: "migrate", ready: true, readyReplicas: 1, desired: 1, state: "complete" },
    ]);
    // Nothing answers on the ingress port yet: the Ingress object alone is no URL.
    expect(st.urls).toEqual([]);
    expect(st.unreachableUrls).toEqual([`http://api.shop.localhost:${httpPort}/`]);
    const human = await devenv(["status"], { cwd: project, env: { KUBECONFIG: kubeconfig, NO_COLOR: "1" } });
    expect(human.stdout).toContain(`no answer on http://api.shop.localhost:${httpPort}/: is the ingress controller running?`);
  });

  it("lists an Ingress URL once something answers it (a *.localhost name goes to 127.0.0.1 with its Host)", async () => {
    const hosts: string[] = [];
    const ingress = createHttpServer((req, res) => (hosts.push(String(req.headers.host)), res.end("ok")));
    await new Promise<void>((r) => ingress.listen(httpPort, "127.0.0.1", r));
    try {
      const st = JSON.parse((await devenv(["status", "--json"], { cwd: project, env: { KUBECONFIG: kubeconfig } })).stdout);
      expect(st.urls).toEqual([`http://api.shop.localhost:${httpPort}/`]);
      expect(hosts).toEqual([`api.shop.localhost:${httpPort}`]);
    } finally {
      ingress.close();
    }
  });

  it("shows a workload scaled to 0 (after `devenv down`) as stopped, not ✓, and not ready in --json", async () => {
    const live = server.get("apps/v1", "Deployment", NS, "api")!;
    // (The test server plays no Deployment controller: the status keeps its old counts.)
    server.put({ ...live, metadata: { ...live.metadata, managedFields: undefined, resourceVersion: undefined }, spec: { ...live.spec, replicas: 0 } });
    try {
      const human = await devenv(["status"], { cwd: project, env: { KUBECONFIG: kubeconfig, NO_COLOR: "1" } });
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/■ Deployment\/api\s+\d\/0 stopped/);
      expect(human.stdout).not.toMatch(/✓ Deployment\/api/);
      const json = JSON.parse((await devenv(["status", "--json"], { cwd: project, env: { KUBECONFIG: kubeconfig } })).stdout);
      expect(json.workloads.find((w: { name: string }) => w.name === "api")).toEqual({ kind: "Deployment", name: "api", ready: false, readyReplicas: expect.any(Number), desired: 0, state: "stopped" });
    } finally {
      server.put({ ...server.get("apps/v1", "Deployment", NS, "api")!, spec: { ...live.spec, replicas: 1 }, metadata: { ...live.metadata, managedFields: undefined, resourceVersion: undefined } });
      server.setDeploymentAvailable(NS, "api");
    }
  });

  it("marks a failed workload and exits 1 (human output)", async () => {
    server.failJob(NS, "migrate", "exit code 3");
    const r = await devenv(["status"], { cwd: project, env: { KUBECONFIG: kubeconfig } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ Job\/migrate\s+0\/1 failed: BackoffLimitExceeded: exit code 3/);
    server.completeJob(NS, "migrate");
  });

  it("an unreachable cluster exits non-zero with the doctor hint, no stack trace", async () => {
    const dead = join(project, "dead-config");
    writeFileSync(dead, `apiVersion: v1\nkind: Config\nclusters: [{name: test, cluster: {server: "http://127.0.0.1:9", insecure-skip-tls-verify: true}}]\ncontexts: [{name: test, context: {cluster: test, user: test}}]\ncurrent-context: test\nusers: [{name: test, user: {token: x}}]\n`);
    const r = await devenv(["status"], { cwd: project, env: { KUBECONFIG: dead } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("cannot reach the Kubernetes API at http://127.0.0.1:9");
    expect(r.stderr).toContain("devenv doctor");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("devenv logs", () => {
  it("prints every pod's lines prefixed with the pod name", async () => {
    server.crashLoop(NS, "deployment/api", ["starting", "listening on :8080"]);
    const pod = server.pods(NS, "deployment/api")[0]!.metadata.name;
    const r = await devenv(["logs", "api", "--tail", "1"], { cwd: project, env: { KUBECONFIG: kubeconfig } });
    expect(r.stdout).toBe(`${pod} | listening on :8080`);
  });

  it("follows until aborted", async () => {
    const pod = server.pods(NS, "statefulset/postgres")[0]!.metadata.name;
    server.appendPodLog(NS, pod, "ready to accept connections");
    const lines: string[] = [];
    const stop = new AbortController();
    const done = streamLogs(rest, NS, "postgres", { follow: true, tail: 10, signal: stop.signal }, (l) => lines.push(l));
    await new Promise((r) => setTimeout(r, 300));
    server.appendPodLog(NS, pod, "checkpoint complete");
    await new Promise((r) => setTimeout(r, 300));
    stop.abort();
    await done;
    expect(lines).toEqual([`${pod} | ready to accept connections`, `${pod} | checkpoint complete`]);
  });

  it("an unknown service lists the known ones", async () => {
    const r = await devenv(["logs", "nope"], { cwd: project, env: { KUBECONFIG: kubeconfig } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no workload or Service named "nope" in namespace shop');
    expect(r.stderr).toContain("known: api, migrate, postgres");
  });
});

describe("openPortForward", () => {
  it("carries bytes through the port-forward websocket to the pod behind the Service", async () => {
    server.setDeploymentAvailable(NS, "api");
    server.forwardPort(NS, "deployment/api", 8080, (echo.address() as { port: number }).port);
    const pf = await openPortForward(rest, NS, "api", 80);
    try {
      const reply = await new Promise<string>((resolve, reject) => {
        const s = connect(pf.localPort, "127.0.0.1", () => s.write("ping through the tunnel"));
        s.on("data", (d) => {
          resolve(d.toString());
          s.end();
        });
        s.on("error", reject);
      });
      expect(reply).toBe("ping through the tunnel");
    } finally {
      await pf.close();
    }
  });

  it("says which port a Service lacks", async () => {
    await expect(openPortForward(rest, NS, "api", 5432)).rejects.toThrow("Service api has no port 5432");
  });
});

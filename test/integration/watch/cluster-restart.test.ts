// afterSync "restart" on the cluster target against the in-process test API server, with
// devenv's REST client and exec websocket for real: the Deployment's pod template goes through
// the dev pod-spec mutation (devSupervisor), the server's controller makes its pods from it, and
// a sync travels over the pods/exec path to each pod's sync agent, which restarts the process
// in the same exec. Nothing is rebuilt, patched or rolled out. The test's exec handler plays the
// containers: it unpacks the tars into a temp dir per pod and restarts only where the pod's
// command is the supervisor.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { KubeApiServer, type ExecCall } from "../../helpers/kube-api-server/index.js";
import { KubeRest } from "../../../src/kube/rest.js";
import { devSupervisor } from "../../../src/kube/render.js";
import { SIGNAL_SUPERVISOR, isSupervised } from "../../../src/images/process-supervisor.js";
import { clusterDriver } from "../../../src/watch/cluster-driver.js";
import { ReloadSession } from "../../../src/watch/session.js";
import { AGENT_COMMAND } from "../../../src/watch/sync-agent.js";
import { envSchema } from "../../../src/config/schema.js";
import type { BuiltImage, KubeObject } from "../../../src/model/index.js";

const NS = "demo";
const built: BuiltImage = { name: "web", repository: "demo/web", ref: "demo/web:devenv-aaa", id: "sha256:a", built: true };
const root = mkdtempSync(join(tmpdir(), "devenv-cluster-restart-"));
const pods = mkdtempSync(join(tmpdir(), "devenv-cluster-restart-pods-"));
const restarts: string[] = [];

/** One pod container: the agent's loop ("<n>[ restart]" + n tar bytes → "ok 0[ restarted|nosupervisor]"), the restart exec, pwd. */
function playContainer(c: ExecCall): void {
  const spec = (c.pod.spec.containers as { name: string; command?: string[] }[]).find((x) => x.name === c.container)!;
  const supervised = isSupervised(spec.command);
  const fs = join(pods, c.pod.metadata.name);
  mkdirSync(fs, { recursive: true });
  const restart = () => (supervised ? (restarts.push(c.pod.metadata.name), "restarted") : "nosupervisor");
  if (c.command.join("\0") === AGENT_COMMAND.join("\0")) {
    c.stdout("ready\n");
    let buf = Buffer.alloc(0);
    c.onStdin(
      (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10)) {
          const [count, flag] = buf.subarray(0, nl).toString().split(" ");
          const n = Number(count);
          if (buf.length < nl + 1 + n) return;
          if (n > 0) execFileSync("tar", ["xf", "-", "-C", fs], { input: buf.subarray(nl + 1, nl + 1 + n) });
          buf = buf.subarray(nl + 1 + n);
          c.stdout(`ok 0 ${flag === "restart" ? restart() : ""}\n`);
        }
      },
      () => c.exit(0),
    );
    return;
  }
  if (c.command.join(" ") === `sh -c ${SIGNAL_SUPERVISOR}`) return c.stdout(`${restart()}\n`), c.exit(0);
  if (c.command[0] === "pwd") return c.stdout("/app\n"), c.exit(0);
  c.exit(127);
}

describe("afterSync restart in pods through the test API server's exec path", () => {
  let server: KubeApiServer;
  let rest: KubeRest;
  const env = { config: envSchema.parse({ name: "demo", images: { web: { image: "demo/web", context: "web", sync: [{ from: "public", to: "/app/public" }], afterSync: "restart" } } }), file: join(root, "devenv.ts"), root, namespace: NS };

  beforeAll(async () => {
    mkdirSync(join(root, "web", "public"), { recursive: true });
    writeFileSync(join(root, "web", "public", "index.html"), "v1");
    server = await KubeApiServer.start();
    server.onExec(playContainer);
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    const deployment = (name: string): KubeObject => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: NS }, spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: built.ref }] } } } });
    const web = deployment("web");
    // What render-manifests does for an image with afterSync "restart" (its CMD read from the image).
    expect(devSupervisor([web], new Map([["demo/web", { entrypoint: null, cmd: ["node", "server.js"] }]]))).toHaveLength(1);
    server.put(web);
    server.put(deployment("legacy")); // applied by an older devenv: no supervisor
    server.setDeploymentAvailable(NS, "web");
    server.setDeploymentAvailable(NS, "legacy");
    const kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfig());
    rest = new KubeRest(kc);
  });

  afterAll(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(pods, { recursive: true, force: true });
  });

  it("syncs into every pod and restarts the process of the supervised ones in the agent's exec; nothing is rebuilt or patched", async () => {
    const podNames = (app: string) => server.pods(NS, `deployment/${app}`).map((p) => p.metadata.name).sort();
    for (const p of server.pods(NS, "deployment/web")) expect((p.spec.containers as { command?: string[]; args?: string[] }[])[0]).toMatchObject({ args: ["node", "server.js"] });
    const driver = clusterDriver(env, rest, { provider: "existing", name: "x", context: "test", nodes: [] }, { build: async () => { throw new Error("no rebuild expected"); } });
    const session = new ReloadSession({ env, driver, images: new Map([["web", built]]), log: () => {} });
    try {
      await session.start();
      server.clearWrites();
      restarts.length = 0;
      writeFileSync(join(root, "web", "public", "index.html"), "v2");
      const report = await session.reload("web", [{ path: "public/index.html", kind: "change" }]);
      expect(report.kind).toBe("sync");
      expect(report.targets.sort()).toEqual(podNames("web").map((p) => `pod ${p}/web`));
      for (const p of [...podNames("web"), ...podNames("legacy")]) expect(readFileSync(join(pods, p, "app/public/index.html"), "utf8")).toBe("v2");
      expect(restarts.sort()).toEqual(podNames("web"));
      // The pods without the supervisor: their files are synced, and the error says what to do.
      expect(report.errors.map((e) => e.message).sort()).toEqual(podNames("legacy").map((p) => `pod ${p}/web does not run devenv's process supervisor, so afterSync "restart" cannot restart its process`));
      expect(server.changes()).toEqual([]);
      // One agent exec per pod, started by the initial sync; the restart needed no exec of its own on the supervised pods.
      expect(server.execCalls.filter((c) => c.endsWith(SIGNAL_SUPERVISOR)).map((c) => c.split("/")[0]).sort()).toEqual(podNames("legacy"));
    } finally {
      await driver.close?.();
    }
  });
});

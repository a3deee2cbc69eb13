// Image loading: one ~330 MB image (devenv-local/node:20 plus a 32 MB layer). The baseline is a
// full load into a real containerd node the kind way (save → ctr import). Against it, the default
// path since issue 19, a push through devenv's local registry container (registry:2, mapped by
// imageOverrides / DEVENV_IMAGE_OVERRIDES): the first push of a new image, an unchanged image
// (target 0 bytes), one changed layer (target ≤ 0.05× a full load), and a watch rebuild on the
// cluster target from "rebuild" to "rolled out" (build + push + patch + rollout, the API being the
// in-process test API server). The opt-out path (node import of one changed layer) for comparison.
// All figures are ratios against the full load measured in the same run.
import { randomBytes } from "node:crypto";
import { KubeConfig } from "@kubernetes/client-node";
import { ensureRegistry, removeRegistry } from "../src/cluster/registry.js";
import { parseOverrides } from "../src/config/overrides.js";
import { buildImage } from "../src/images/build.js";
import { NodeLoader } from "../src/images/node-loader.js";
import { RegistryLoader } from "../src/images/registry-loader.js";
import { formatBytes, type LoadReport } from "../src/images/loader.js";
import { KubeRest } from "../src/kube/rest.js";
import { clusterDriver } from "../src/watch/cluster-driver.js";
import { KubeApiServer } from "../test/helpers/kube-api-server/index.js";
import { freePort } from "../test/integration/cluster/engine.js";
import { envAt, project, removeContainers, removeRepository, startNode, suffix } from "../test/integration/images/fixtures.js";
import { time } from "./lib.js";

const id = suffix();
const node = `devenv-bench-node-${id}`;
const repo = `devenv-bench/images-${id}`;
const p = project({ "app/Dockerfile": "FROM devenv-local/node:20\nCOPY big.bin /opt/big.bin\nCOPY small.txt /opt/small.txt\n", "app/small.txt": "v1\n" });
(await import("node:fs")).writeFileSync(`${p.dir}/app/big.bin`, randomBytes(32 * 1024 * 1024));
const env = envAt(p.dir, { images: { app: { image: repo, context: "app" } } });
const reg = { enabled: true, name: `devenv-bench-registry-${id}`, port: await freePort() };
const host = `localhost:${reg.port}`;
const bytes = (rs: LoadReport[]) => rs.reduce((n, r) => n + r.bytes, 0);
const server = await KubeApiServer.start();

try {
  await ensureRegistry(reg, { "registry:2": "registry:2", ...parseOverrides(process.env.DEVENV_IMAGE_OVERRIDES) }, "bench");
  await startNode(node);
  const nodes = new NodeLoader("kind", [node]);
  const push = new RegistryLoader(host);
  const v1 = await buildImage(env, "app");
  let r: LoadReport[] = [];

  const full = await time(async () => (r = await nodes.load([v1])));
  const fullBytes = bytes(r);
  const firstPush = await time(async () => (r = await push.load([v1]))); // as the first `devenv up`
  const firstPushBytes = bytes(r);
  const unchanged = await time(async () => (r = await push.load([v1])));
  const unchangedBytes = bytes(r);

  p.write("app/small.txt", "v2\n");
  const v2 = await buildImage(env, "app");
  const pushed = await time(async () => (r = await push.load([v2])));
  const pushedBytes = bytes(r);
  const layers = r[0]?.layersPushed;
  const reimport = await time(async () => (r = await nodes.load([v2])));
  const reimportBytes = bytes(r);

  // Watch rebuild → rolled out: the workload runs v2 from the registry; the file changes; the driver
  // builds, pushes, patches the Deployment and waits for its rollout (the test server plays the controller).
  const ns = "bench";
  const running = `${host}/${v2.ref}`;
  server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
  server.put({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "app", namespace: ns }, spec: { replicas: 1, selector: { matchLabels: { app: "app" } }, template: { metadata: { labels: { app: "app" } }, spec: { containers: [{ name: "app", image: running }] } } } });
  server.setDeploymentAvailable(ns, "app");
  const kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfig());
  const driver = clusterDriver({ ...env, namespace: ns }, new KubeRest(kc), { provider: "kind", name: "bench", context: "test", nodes: [node], registry: host, imageRegistry: host }, { rolloutTimeoutMs: 60_000 });
  const timer = setInterval(() => {
    const d = server.get("apps/v1", "Deployment", ns, "app");
    if ((d?.status as { observedGeneration?: number } | undefined)?.observedGeneration !== d?.metadata.generation) server.setDeploymentAvailable(ns, "app");
  }, 10);
  p.write("app/small.txt", "v3\n");
  let rolled = "";
  const rebuild = await time(async () => {
    const out = await driver.rebuild("app", { ...v2, ref: running }, () => {});
    rolled = out.replaced.join(", ");
  });
  clearInterval(timer);
  await driver.close?.();

  const line = (name: string, ms: number, b: number, target = "") =>
    console.log(`${name.padEnd(56)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${formatBytes(b).padStart(10)}  = ${(ms / full).toFixed(3)}x full load${target ? `   (target: ${target})` : ""}`);
  console.log(`# image loading, ${formatBytes(fullBytes)} image, one containerd node, the local registry container (one run each)`);
  line("full load (save → ctr import, like kind load)", full, fullBytes);
  line("default path: first push of a new image (registry)", firstPush, firstPushBytes);
  line("default path: unchanged image (registry has it)", unchanged, unchangedBytes, "0 bytes");
  line(`default path: one changed layer (${layers} layer pushed)`, pushed, pushedBytes, "≤ 0.05x");
  line("opt-out path: one changed layer via node import", reimport, reimportBytes);
  line(`watch rebuild → rolled out (build+push+patch+rollout: ${rolled || "nothing"})`, rebuild, 0);
  console.log(`unchanged: ${unchangedBytes === 0 ? "meets" : "MISSES"} (0 bytes); one changed layer: ${pushed <= 0.05 * full ? "meets" : "MISSES"} the 0.05x target (${(pushed / full).toFixed(3)}x)`);
} finally {
  await server.close();
  await removeContainers([node]);
  await removeRegistry(reg).catch(() => {});
  await removeRepository(repo);
  await removeRepository(`${host}/${repo}`);
  p.cleanup();
}

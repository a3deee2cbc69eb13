// Image loading: one ~330 MB image (devenv-local/node:20 plus a 32 MB layer) loaded into a
// real containerd node the kind way (full import), loaded again unchanged (target ≈ 0 s, no
// bytes), and after a one-layer change pushed through a local registry (target ≤ 0.3 × full).
// All figures are ratios against the full load measured in the same run.
import { randomBytes } from "node:crypto";
import { buildImage } from "../src/images/build.js";
import { NodeLoader } from "../src/images/node-loader.js";
import { RegistryLoader } from "../src/images/registry-loader.js";
import { formatBytes, type LoadReport } from "../src/images/loader.js";
import { envAt, project, removeContainers, removeRepository, startNode, startRegistry, suffix } from "../test/integration/images/fixtures.js";
import { time } from "./lib.js";

const id = suffix();
const node = `devenv-bench-node-${id}`;
const repo = `devenv-bench/images-${id}`;
const p = project({ "app/Dockerfile": "FROM devenv-local/node:20\nCOPY big.bin /opt/big.bin\nCOPY small.txt /opt/small.txt\n", "app/small.txt": "v1\n" });
(await import("node:fs")).writeFileSync(`${p.dir}/app/big.bin`, randomBytes(32 * 1024 * 1024));
const env = envAt(p.dir, { images: { app: { image: repo, context: "app" } } });
const registry = await startRegistry();
const bytes = (rs: LoadReport[]) => rs.reduce((n, r) => n + r.bytes, 0);

try {
  await startNode(node);
  const nodes = new NodeLoader("kind", [node]);
  const push = new RegistryLoader(registry.host);
  const v1 = await buildImage(env, "app");
  let r: LoadReport[] = [];

  const full = await time(async () => (r = await nodes.load([v1])));
  const fullBytes = bytes(r);
  const unchanged = await time(async () => (r = await nodes.load([v1])));
  const unchangedBytes = bytes(r);

  await push.load([v1]); // the registry holds v1, as after the first `devenv up`
  p.write("app/small.txt", "v2\n");
  const v2 = await buildImage(env, "app");
  const pushed = await time(async () => (r = await push.load([v2])));
  const pushedBytes = bytes(r);
  const layers = r[0]?.layersPushed;
  const reimport = await time(async () => (r = await nodes.load([v2])));
  const reimportBytes = bytes(r);

  const line = (name: string, ms: number, b: number, target = "") =>
    console.log(`${name.padEnd(46)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${formatBytes(b).padStart(10)}  = ${(ms / full).toFixed(3)}x full load${target ? `   (target: ${target})` : ""}`);
  console.log(`# image loading, ${formatBytes(fullBytes)} image, one containerd node (one run each)`);
  line("full load (save → ctr import, like kind load)", full, fullBytes);
  line("unchanged image (node already holds the ID)", unchanged, unchangedBytes, "≈ 0 s, 0 bytes");
  line(`one changed layer via registry (${layers} layer pushed)`, pushed, pushedBytes, "≤ 0.3x");
  line("one changed layer via node import (kind way)", reimport, reimportBytes);
  console.log(`unchanged: ${unchangedBytes === 0 ? "meets" : "MISSES"} (0 bytes); registry: ${pushed <= 0.3 * full ? "meets" : "MISSES"} the 0.3x target (${(pushed / full).toFixed(3)}x)`);
} finally {
  await removeContainers([node]);
  await registry.stop();
  await removeRepository(repo);
  await removeRepository(`${registry.host}/${repo}`);
  p.cleanup();
}

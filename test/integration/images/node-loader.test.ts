// Loads images into real containerd "nodes" (devenv-local/kind-node) the way kind does, and
// checks the node first: a second load moves no bytes, a changed image is imported, a broken
// node is named in the error.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { execa } from "execa";
import { describeDocker } from "../../helpers/docker.js";
import { buildImage } from "../../../src/images/build.js";
import { NodeLoader } from "../../../src/images/node-loader.js";
import type { LoadImage } from "../../../src/images/node-store.js";
import { envAt, nodeImageNames, project, removeContainers, removeRepository, startNode, suffix } from "./fixtures.js";

const id = suffix();
const nodes = [`devenv-test-node-${id}-a`, `devenv-test-node-${id}-b`];
const repo = `devenv-test/load-${id}`;
const p = project({ "app/Dockerfile": "FROM scratch\nCOPY hello.txt /hello.txt\n", "app/hello.txt": "v1\n" });
const env = envAt(p.dir, { images: { app: { image: repo, context: "app" } } });
const asLoad = (b: { ref: string; id: string }): LoadImage => ({ ref: b.ref, id: b.id });

describeDocker("NodeLoader (real containerd nodes)", () => {
  beforeAll(async () => {
    await Promise.all(nodes.map(startNode));
  });
  afterAll(async () => {
    await removeContainers(nodes);
    await removeRepository(repo);
    p.cleanup();
  });

  it("imports into every node in parallel, then transfers nothing for the same image", async () => {
    const img = asLoad(await buildImage(env, "app"));
    const loader = new NodeLoader("kind", nodes);
    expect(await loader.missing([img])).toEqual(new Map(nodes.map((n) => [n, [img.ref]])));

    const first = await loader.load([img]);
    expect(first.map((r) => [r.target, r.action])).toEqual(nodes.map((n) => [n, "imported"]));
    expect(first.every((r) => r.bytes > 0)).toBe(true);
    for (const n of nodes) expect(await nodeImageNames(n)).toContain(`docker.io/${img.ref}`);

    expect(await loader.missing([img])).toEqual(new Map(nodes.map((n) => [n, []])));
    const second = await loader.load([img]);
    expect(second.map((r) => r.action)).toEqual(["present", "present"]);
    expect(second.reduce((n, r) => n + r.bytes, 0)).toBe(0);
  });

  it("imports a changed image, and only adds a name when the node already holds the ID", async () => {
    p.write("app/hello.txt", "v2\n");
    const v2 = asLoad(await buildImage(env, "app"));
    const loader = new NodeLoader("k3d", nodes);
    const reports = await loader.load([v2]);
    expect(reports.map((r) => r.action)).toEqual(["imported", "imported"]);
    for (const n of nodes) expect(await nodeImageNames(n)).toContain(`docker.io/${v2.ref}`);

    // Same image ID under a new name (e.g. a retag): no data moves.
    await execa("docker", ["tag", v2.ref, `${repo}:alias`]);
    const alias = await loader.load([{ ref: `${repo}:alias`, id: v2.id }]);
    expect(alias.map((r) => [r.action, r.bytes])).toEqual([["tagged", 0], ["tagged", 0]]);
    for (const n of nodes) expect(await nodeImageNames(n)).toContain(`docker.io/${repo}:alias`);
  });

  it("imports with the snapshotter a containerd 2 config dump names (version 3, single quotes)", async () => {
    // The node's containerd is 1.x; a `containerd` ahead of it on PATH answers `config dump`
    // with the recorded containerd 2 dump (snapshotter 'native') and passes the rest through.
    const dumpV3 = readFileSync(new URL("../../fixtures/containerd/config-dump-v3.toml", import.meta.url), "utf8");
    const shim = `#!/bin/sh\nif [ "$1 $2" = "config dump" ]; then cat <<'DUMP'\n${dumpV3}DUMP\nexit 0; fi\nexec /usr/bin/containerd "$@"\n`;
    await execa("docker", ["exec", "-i", nodes[0]!, "sh", "-c", "cat > /usr/local/sbin/containerd && chmod +x /usr/local/sbin/containerd"], { input: shim });
    try {
      p.write("app/hello.txt", "v3\n");
      const v3 = asLoad(await buildImage(env, "app"));
      const reports = await new NodeLoader("kind", [nodes[0]!]).load([v3]);
      expect(reports.map((r) => r.action)).toEqual(["imported"]);
      const snaps = await execa("docker", ["exec", nodes[0]!, "ctr", "-n", "k8s.io", "snapshots", "--snapshotter", "native", "ls"]);
      expect(snaps.stdout.trim().split("\n").length).toBeGreaterThan(1); // a header and the image's layer
    } finally {
      await execa("docker", ["exec", nodes[0]!, "rm", "-f", "/usr/local/sbin/containerd"]);
    }
  });

  it("names a node that does not exist", async () => {
    const img = asLoad(await buildImage(env, "app"));
    const ghost = `devenv-test-ghost-${id}`;
    await expect(new NodeLoader("kind", [nodes[0]!, ghost]).load([img])).rejects.toMatchObject({
      name: "DevenvError",
      message: `node container ${ghost} does not exist`,
    });
  });

  it("names a node whose containerd is down", async () => {
    await execa("docker", ["exec", nodes[1]!, "pkill", "-x", "containerd"]);
    const img = asLoad(await buildImage(env, "app"));
    const err = await new NodeLoader("kind", nodes).load([img]).then(
      () => undefined,
      (e: unknown) => e as { message: string; hint?: string },
    );
    expect(err?.message).toMatch(new RegExp(`^node ${nodes[1]}: listing images failed`));
    expect(err?.hint).toContain(`containerd is not running in node ${nodes[1]}`);
  });
});

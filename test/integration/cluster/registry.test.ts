// The local registry against the real engine: container, network join, hosts.toml on a node
// container (devenv-local/kind-node), and containerd on that node pulling through it.
import { randomBytes } from "node:crypto";
import { execa } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { connectRegistry, disconnectRegistry, ensureRegistry, registryHostsFiles, removeRegistry, writeHostsToml } from "../../../src/cluster/registry.js";
import { providerFor } from "../../../src/cluster/provider-for.js";
import { useFakeBin } from "../../fixtures/fake-bin/fake-bin.js";
import { testEnv } from "../../unit/cluster/env.js";
import { docker } from "../../../src/docker/client.js";
import { describeDocker, LOCAL_IMAGES } from "../../helpers/docker.js";
import { freePort, nodeContainerArgs } from "./engine.js";

const sfx = randomBytes(3).toString("hex");
const network = `devenv-test-net-${sfx}`;
const node = `devenv-test-node-${sfx}`;
const registryImage = "devenv-local/registry:2";
const overrides = { "registry:2": registryImage };
const pushed = (port: number) => `localhost:${port}/devenv-test/debian:${sfx}`;

describeDocker("local registry (real engine)", () => {
  let reg: { enabled: boolean; name: string; port: number };

  beforeAll(async () => {
    if ((await execa("docker", ["image", "inspect", registryImage], { reject: false })).exitCode !== 0) {
      await execa("docker", ["build", "-q", "-t", registryImage, "test/images/registry"]);
    }
    reg = { enabled: true, name: `devenv-registry-${sfx}`, port: await freePort() };
    await execa("docker", ["network", "create", network]);
    await execa("docker", ["run", "-d", "--name", node, "--network", network, ...nodeContainerArgs, LOCAL_IMAGES.kindNode]);
  });

  afterAll(async () => {
    await execa("docker", ["rm", "-f", "-v", node, reg.name], { reject: false });
    await execa("docker", ["network", "rm", network], { reject: false });
    await execa("docker", ["rmi", pushed(reg.port)], { reject: false });
  });

  it("creates the registry once and reuses it", async () => {
    expect(await ensureRegistry(reg, overrides, "devenv.ts")).toEqual({ created: true });
    expect(await ensureRegistry(reg, overrides, "devenv.ts")).toEqual({ created: false });
    const info = await (await docker()).containers.inspect(reg.name);
    expect(info.Config.Image).toBe(registryImage);
    expect(info.HostConfig.PortBindings?.["5000/tcp"]?.[0]).toEqual({ HostIp: "127.0.0.1", HostPort: String(reg.port) });
  });

  it("refuses a reused registry that publishes another port", async () => {
    await expect(ensureRegistry({ ...reg, port: reg.port + 1 }, overrides, "devenv.ts")).rejects.toMatchObject({
      message: `registry container "${reg.name}" publishes port ${reg.port}, devenv.ts wants ${reg.port + 1}`,
      where: "devenv.ts (cluster.registry.port)",
    });
  });

  it("joins the cluster network (idempotently) and writes hosts.toml into the node", async () => {
    await connectRegistry(reg, network);
    await connectRegistry(reg, network);
    const info = await (await docker()).containers.inspect(reg.name);
    expect(Object.keys(info.NetworkSettings.Networks)).toContain(network);
    await writeHostsToml(reg, [node]);
    for (const f of registryHostsFiles(reg)) {
      const r = await execa("docker", ["exec", node, "cat", f.path]);
      expect(`${r.stdout}\n`).toBe(f.content);
    }
  });

  it("containerd on the node pulls localhost:<port>/... through hosts.toml from the registry container", async () => {
    await execa("docker", ["tag", LOCAL_IMAGES.debian, pushed(reg.port)]);
    await execa("docker", ["push", pushed(reg.port)]);
    // On the node, localhost:<port> is not the registry: only the hosts.toml redirect reaches it.
    const r = await execa("docker", ["exec", node, "ctr", "-n", "k8s.io", "images", "pull", "--hosts-dir", "/etc/containerd/certs.d", pushed(reg.port)], { reject: false });
    expect(r.exitCode, r.stderr).toBe(0);
    const list = await execa("docker", ["exec", node, "ctr", "-n", "k8s.io", "images", "ls", "-q"]);
    expect(list.stdout).toContain(pushed(reg.port));
  });

  it("k3d delete takes the registry off k3d-<name> first, so the network can go with the cluster", async () => {
    const name = `devenv-test-${sfx}`;
    const k3dNetwork = `k3d-${name}`;
    await execa("docker", ["network", "create", k3dNetwork]);
    const fake = useFakeBin();
    try {
      await connectRegistry(reg, k3dNetwork);
      const p = await providerFor(testEnv({ cluster: { provider: "k3d", name, registry: reg } }));
      await p.delete();
      expect(fake.lines()).toEqual([`k3d cluster delete ${name}`]);
      const info = await (await docker()).containers.inspect(reg.name);
      expect(Object.keys(info.NetworkSettings.Networks)).not.toContain(k3dNetwork);
      expect(Object.keys(info.NetworkSettings.Networks)).toContain(network); // other networks untouched
      // What k3d does after the cluster's containers are gone: with nothing attached, it succeeds.
      expect((await execa("docker", ["network", "rm", k3dNetwork], { reject: false })).exitCode).toBe(0);
      expect(await disconnectRegistry(reg, k3dNetwork)).toBe(false); // nothing to do
    } finally {
      fake.restore();
      await execa("docker", ["network", "rm", k3dNetwork], { reject: false });
    }
  });

  it("removes only a registry devenv created", async () => {
    expect(await removeRegistry(reg)).toBe(true);
    expect(await removeRegistry(reg)).toBe(false);
  });
});

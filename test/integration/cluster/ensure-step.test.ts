// The ensure-cluster step end to end on the real engine: a fake `kind` reports an existing
// cluster whose node is a devenv-local/kind-node container on the `kind` network; the step
// reuses it, starts the registry (or falls back to node import when it cannot), joins it to the
// network and writes hosts.toml on the node.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { createServer } from "node:net";
import { execa } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ensureClusterStep } from "../../../src/up/steps/cluster.js";
import type { UpContext } from "../../../src/up/context.js";
import { describeDocker, LOCAL_IMAGES } from "../../helpers/docker.js";
import { useFakeBin, type FakeBin } from "../../fixtures/fake-bin/fake-bin.js";
import { testEnv } from "../../unit/cluster/env.js";
import { freePort, nodeContainerArgs } from "./engine.js";

const sfx = randomBytes(3).toString("hex");
const name = `devenv-step-${sfx}`;
const node = `${name}-control-plane`;
const registry = `devenv-registry-${sfx}`;
const registryImage = "devenv-local/registry:2";

describeDocker("ensure-cluster step with a registry (real engine, fake kind)", () => {
  let fake: FakeBin;
  let root: string;
  let createdNetwork = false;
  const ports = { http: 0, https: 0, registry: 0 };
  const savedKubeconfig = process.env.KUBECONFIG;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "devenv-step-"));
    // The reused cluster's context is in the kubeconfig (else ensure-cluster asks kind to write it back).
    writeFileSync(join(root, "kubeconfig"), `apiVersion: v1\nkind: Config\nclusters: [{name: c1, cluster: {server: "https://127.0.0.1:6443"}}]\nusers: [{name: u1, user: {token: x}}]\ncontexts: [{name: kind-${name}, context: {cluster: c1, user: u1}}]\ncurrent-context: kind-${name}\n`);
    process.env.KUBECONFIG = join(root, "kubeconfig");
    [ports.http, ports.https, ports.registry] = [await freePort(), await freePort(), await freePort()];
    if ((await execa("docker", ["image", "inspect", registryImage], { reject: false })).exitCode !== 0) {
      await execa("docker", ["build", "-q", "-t", registryImage, "test/images/registry"]);
    }
    // kind's own network; created only if this machine has none, and then removed afterwards.
    createdNetwork = (await execa("docker", ["network", "create", "kind"], { reject: false })).exitCode === 0;
    await execa("docker", ["run", "-d", "--name", node, "--network", "kind", "-p", `${ports.http}:80`, "-p", `${ports.https}:443`, ...nodeContainerArgs, LOCAL_IMAGES.kindNode]);
    fake = useFakeBin({
      "kind version": { stdout: "kind v0.29.0 go1.24.2 linux/amd64" },
      "kind get clusters": { stdout: `${name}\n` },
      [`kind get nodes --name ${name}`]: { stdout: `${node}\n` },
    });
  });

  afterAll(async () => {
    if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = savedKubeconfig;
    fake.restore();
    rmSync(root, { recursive: true, force: true });
    await execa("docker", ["rm", "-f", "-v", node, registry], { reject: false });
    await execa("docker", ["volume", "rm", `${registry}-data`], { reject: false });
    if (createdNetwork) await execa("docker", ["network", "rm", "kind"], { reject: false });
  });

  const envWith = (registry: Record<string, unknown>) =>
    testEnv({ cluster: { name, ports: { http: ports.http, https: ports.https }, registry }, imageOverrides: { "registry:2": registryImage } }, root);
  const step = async (env: ReturnType<typeof envWith>) => {
    const ctx = { env, target: "cluster", dryRun: false, yes: true, verbose: false, watch: false, images: new Map(), log: (l: string) => logged.push(l) } as unknown as UpContext;
    const titles: string[] = [];
    const logged: string[] = [];
    await ensureClusterStep.run(ctx, { output: () => {}, title: (t) => titles.push(t), skipped: () => {} });
    return { cluster: ctx.cluster, titles, logged };
  };

  it("a reused cluster created without the registry mirror falls back to node import and says how to fix it", async () => {
    const r = await step(envWith({ name: registry, port: ports.registry }));
    expect(r.cluster).toEqual({ provider: "kind", name, context: `kind-${name}`, nodes: [node], imageRegistry: `localhost:${ports.registry}` });
    expect(r.titles).toEqual([`Reused kind cluster ${name} (1 node, registry down: node import)`]);
    expect(r.logged[0]).toBe(`warning: the local registry ${registry} (localhost:${ports.registry}) cannot start: kind cluster ${name} was created without the registry mirror (node ${node} does not map localhost:${ports.registry} to ${registry})`);
    expect(r.logged).toContain("  fix: re-create the cluster once to use the registry: `devenv reset --cluster --yes` then `devenv up` (the registry's cache is kept)");
  });

  it("fills ctx.cluster with the nodes and the registry, and wires the node", async () => {
    // What devenv's kind config gives a node at creation (containerdConfigPatches): certs.d as config_path.
    await execa("docker", ["exec", node, "sh", "-c", `mkdir -p /etc/containerd && printf '%s\\n' 'version = 2' '[plugins."io.containerd.grpc.v1.cri".registry]' '  config_path = "/etc/containerd/certs.d"' > /etc/containerd/config.toml`]);
    const env = envWith({ name: registry, port: ports.registry });
    const r = await step(env);
    expect(r.cluster).toEqual({ provider: "kind", name, context: `kind-${name}`, nodes: [node], registry: `localhost:${ports.registry}`, imageRegistry: `localhost:${ports.registry}` });
    expect(r.titles).toEqual([`Reused kind cluster ${name} (1 node, registry localhost:${ports.registry})`]);
    const toml = await execa("docker", ["exec", node, "cat", `/etc/containerd/certs.d/localhost:${ports.registry}/hosts.toml`]);
    expect(toml.stdout).toBe(`[host."http://${registry}:5000"]`);
    const info = JSON.parse((await execa("docker", ["inspect", registry])).stdout)[0];
    expect(Object.keys(info.NetworkSettings.Networks)).toContain("kind");
    // The storage is the named volume (the cache `down` and `reset --cluster` keep), deletes are on (tag collection).
    expect(info.Mounts).toContainEqual(expect.objectContaining({ Type: "volume", Name: `${registry}-data`, Destination: "/var/lib/registry" }));
    expect(info.Config.Env).toContain("REGISTRY_STORAGE_DELETE_ENABLED=true");
    // Twice changes nothing and does not fail.
    await step(env);
    expect(fake.lines().filter((l) => l.startsWith("kind create"))).toEqual([]);
  });

  it("a registry port held by something else: the run falls back to node import, naming the port and the fix", async () => {
    const other = `${registry}-b`;
    const busy = await freePort();
    const srv = createServer().listen(busy, "0.0.0.0");
    await once(srv, "listening");
    try {
      const r = await step(envWith({ name: other, port: busy }));
      expect(r.cluster).toMatchObject({ imageRegistry: `localhost:${busy}` });
      expect(r.cluster?.registry).toBeUndefined();
      expect(r.logged[0]).toMatch(new RegExp(`^warning: the local registry ${other} \\(localhost:${busy}\\) cannot start: host port ${busy} \\(cluster.registry.port\\) is already in use`));
      expect(r.logged).toContain("  this run imports the images into each node instead (every load sends the whole image, not only the changed layers)");
      expect(r.logged.some((l) => l.startsWith(`  fix: stop `) && l.includes("set cluster.registry.port in devenv.ts to a free port"))).toBe(true);
      expect((await execa("docker", ["inspect", other], { reject: false })).exitCode).not.toBe(0); // nothing half-made
    } finally {
      srv.close();
    }
  });

  it("opted out (cluster.registry.enabled: false): no registry, the images go into the nodes", async () => {
    const r = await step(envWith({ enabled: false, name: `${registry}-off`, port: ports.registry }));
    expect(r.cluster).toEqual({ provider: "kind", name, context: `kind-${name}`, nodes: [node] });
    expect(r.titles).toEqual([`Reused kind cluster ${name} (1 node)`]);
    expect(r.logged).toEqual([]);
    expect((await execa("docker", ["inspect", `${registry}-off`], { reject: false })).exitCode).not.toBe(0);
  });
});

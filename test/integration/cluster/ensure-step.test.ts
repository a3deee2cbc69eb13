// The ensure-cluster step end to end on the real engine: a fake `kind` reports an existing
// cluster whose node is a devenv-local/kind-node container on the `kind` network; the step
// reuses it, starts the registry, joins it to the network and writes hosts.toml on the node.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
    if (createdNetwork) await execa("docker", ["network", "rm", "kind"], { reject: false });
  });

  it("fills ctx.cluster with the nodes and the registry, and wires the node", async () => {
    const env = testEnv(
      { cluster: { name, ports: { http: ports.http, https: ports.https }, registry: { enabled: true, name: registry, port: ports.registry } }, imageOverrides: { "registry:2": registryImage } },
      root,
    );
    const ctx = { env, target: "cluster", dryRun: false, yes: true, verbose: false, watch: false, images: new Map(), log: () => {} } as UpContext;
    const titles: string[] = [];
    const run = () => ensureClusterStep.run(ctx, { output: () => {}, title: (t) => titles.push(t), skipped: () => {} });
    await run();
    expect(ctx.cluster).toEqual({ provider: "kind", name, context: `kind-${name}`, nodes: [node], registry: `localhost:${ports.registry}` });
    expect(titles).toEqual([`Reused kind cluster ${name} (1 node)`]);
    const toml = await execa("docker", ["exec", node, "cat", `/etc/containerd/certs.d/localhost:${ports.registry}/hosts.toml`]);
    expect(toml.stdout).toBe(`[host."http://${registry}:5000"]`);
    const nets = await execa("docker", ["inspect", "-f", "{{json .NetworkSettings.Networks}}", registry]);
    expect(Object.keys(JSON.parse(nets.stdout))).toContain("kind");
    // Twice changes nothing and does not fail.
    await run();
    expect(fake.lines().filter((l) => l.startsWith("kind create"))).toEqual([]);
  });
});

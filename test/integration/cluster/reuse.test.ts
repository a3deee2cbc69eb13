// Reusing a cluster checks its node containers' published ports on the real engine (the kind
// CLI is the recording fake); creating one first checks that the host ports are free.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { providerFor } from "../../../src/cluster/provider-for.js";
import { ensureCluster } from "../../../src/cluster/ensure.js";
import { describeDocker, LOCAL_IMAGES } from "../../helpers/docker.js";
import { useFakeBin, type FakeBin } from "../../fixtures/fake-bin/fake-bin.js";
import { testEnv } from "../../unit/cluster/env.js";
import { freePort } from "./engine.js";
import { kubeconfigWith } from "../../helpers/kubeconfig.js";

const name = `devenv-test-${randomBytes(3).toString("hex")}`;
const container = `${name}-control-plane`;

describeDocker("reusing a kind cluster (real engine, fake kind)", () => {
  let fake: FakeBin;
  let root: string;
  let http: number;
  let https: number;
  let kubeconfig: string;
  const savedKubeconfig = process.env.KUBECONFIG;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "devenv-reuse-"));
    kubeconfig = join(root, "kubeconfig");
    writeFileSync(kubeconfig, kubeconfigWith(`kind-${name}`));
    process.env.KUBECONFIG = kubeconfig;
    [http, https] = [await freePort(), await freePort()];
    // A stand-in for kind's control-plane node: same name pattern, same published ports.
    await execa("docker", ["run", "-d", "--name", container, "--label", `io.x-k8s.kind.cluster=${name}`, "-p", `${http}:80`, "-p", `${https}:443`, LOCAL_IMAGES.debian, "sleep", "infinity"]);
    fake = useFakeBin({
      "kind version": { stdout: "kind v0.29.0 go1.24.2 linux/amd64" },
      "kind get clusters": { stdout: `other\n${name}\n` },
      [`kind get nodes --name ${name}`]: { stdout: `${container}\n` },
    });
  });

  afterAll(async () => {
    if (savedKubeconfig === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = savedKubeconfig;
    fake.restore();
    rmSync(root, { recursive: true, force: true });
    await execa("docker", ["rm", "-f", "-v", container], { reject: false });
  });

  it("reuses a cluster whose ports match, without creating it", async () => {
    fake.clear();
    const p = await providerFor(testEnv({ cluster: { name, ports: { http, https } } }, root));
    const { created, handle } = await ensureCluster(p);
    expect(created).toBe(false);
    expect(handle.nodes).toEqual([container]);
    expect(fake.lines()).toEqual(["kind version", "kind get clusters", `kind get nodes --name ${name}`, `kind get nodes --name ${name}`]);
  });

  it("reuses a cluster whose kube context is gone: `kind export kubeconfig` writes it back", async () => {
    writeFileSync(kubeconfig, kubeconfigWith("something-else"));
    fake.script({
      "kind version": { stdout: "kind v0.29.0 go1.24.2 linux/amd64" },
      "kind get clusters": { stdout: `other\n${name}\n` },
      [`kind get nodes --name ${name}`]: { stdout: `${container}\n` },
      [`kind export kubeconfig --name ${name}`]: { files: { [kubeconfig]: kubeconfigWith(`kind-${name}`) } },
    });
    fake.clear();
    const log: string[] = [];
    const { created } = await ensureCluster(await providerFor(testEnv({ cluster: { name, ports: { http, https } } }, root)), (l) => log.push(l));
    expect(created).toBe(false);
    expect(fake.lines()).toEqual(["kind version", "kind get clusters", `kind get nodes --name ${name}`, `kind export kubeconfig --name ${name}`, `kind get nodes --name ${name}`]);
    expect(log[0]).toBe(`kind cluster ${name} exists but context kind-${name} is not in ${kubeconfig}: writing it back`);
  });

  it("an existing cluster with different ports is a clear error, not a silent recreate", async () => {
    fake.clear();
    const p = await providerFor(testEnv({ cluster: { name, ports: { http: http + 1, https } } }, root));
    await expect(ensureCluster(p)).rejects.toMatchObject({
      message: `kind cluster "${name}" exists with different ingress ports: http: host port ${http} (devenv.ts wants ${http + 1})`,
      where: `${root}/devenv.ts (cluster.ports)`,
      hint: `recreate it with \`devenv reset --cluster --yes\` then \`devenv up\`, or set cluster.ports back to { http: ${http} }`,
    });
    expect(fake.lines().some((l) => l.startsWith("kind create"))).toBe(false);
  });

  it("a host port already taken blocks creating a new cluster, naming the owner", async () => {
    const port = await freePort();
    const server: Server = createServer().listen(port, "0.0.0.0");
    await new Promise((r) => server.once("listening", r));
    try {
      const p = await providerFor(testEnv({ cluster: { name: `${name}-new`, ports: { http: port, https: await freePort() } } }, root));
      fake.clear();
      await expect(ensureCluster(p)).rejects.toMatchObject({
        message: expect.stringMatching(new RegExp(`^host port ${port} \\(cluster.ports.http\\) is already in use by \\S+`)),
        where: `${root}/devenv.ts (cluster.ports.http)`,
        exitCode: 2,
      });
      expect(fake.lines()).toEqual(["kind version", "kind get clusters"]);
    } finally {
      server.close();
    }
  });

  it("a taken port held by a container is reported with the container's name", async () => {
    const p = await providerFor(testEnv({ cluster: { name: `${name}-new`, ports: { http, https: await freePort() } } }, root));
    await expect(ensureCluster(p)).rejects.toThrow(`host port ${http} (cluster.ports.http) is already in use by container ${container}`);
  });
});

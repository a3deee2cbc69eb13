// Provider command sequences, run for real against recording kind/k3d executables on PATH.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { providerFor } from "../../../src/cluster/provider-for.js";
import { ensureCluster, ensureContext } from "../../../src/cluster/ensure.js";
import { useFakeBin, type FakeBin } from "../../fixtures/fake-bin/fake-bin.js";
import { testEnv } from "./env.js";
import { kubeconfigWith } from "../../helpers/kubeconfig.js";

let fake: FakeBin;
let root: string;
// High ports nothing listens on, so preflight's "is the host port free?" passes.
const ports = { http: 38080, https: 38443 };

beforeEach(() => {
  fake = useFakeBin();
  root = mkdtempSync(join(tmpdir(), "devenv-cluster-"));
});
afterEach(() => {
  fake.restore();
  rmSync(root, { recursive: true, force: true });
});

describe("kind provider", () => {
  it("creates a missing cluster: version, get clusters, create with the config on stdin, get nodes", async () => {
    fake.script({
      "kind version": { stdout: "kind v0.29.0 go1.24.2 linux/amd64" },
      "kind get clusters": { stderr: "No kind clusters found." },
      "kind get nodes --name devenv": { stdout: "devenv-control-plane\n" },
    });
    const env = testEnv({ cluster: { ports } }, root);
    const { created, handle } = await ensureCluster(await providerFor(env));
    expect(created).toBe(true);
    expect(handle).toEqual({ provider: "kind", name: "devenv", context: "kind-devenv", nodes: ["devenv-control-plane"] });
    expect(fake.lines()).toEqual(["kind version", "kind get clusters", "kind create cluster --name devenv --config -", "kind get nodes --name devenv"]);
    const stdin = fake.calls()[2]!.stdin!;
    expect(parse(stdin).nodes[0].extraPortMappings[0]).toEqual({ containerPort: 80, hostPort: 38080, listenAddress: "127.0.0.1", protocol: "TCP" });
    expect(readFileSync(join(root, ".devenv/kind-devenv.yaml"), "utf8")).toBe(stdin);
  });

  it("deletes and lists nodes", async () => {
    fake.script({ "kind get nodes --name devenv": { stdout: "devenv-control-plane\ndevenv-worker\n" } });
    const p = await providerFor(testEnv({}, root));
    await p.delete();
    expect(await p.nodes()).toEqual(["devenv-control-plane", "devenv-worker"]);
    expect(fake.lines()).toEqual(["kind delete cluster --name devenv", "kind get nodes --name devenv"]);
  });

  it("refuses a kind older than 0.20 with a clear error", async () => {
    fake.script({ "kind version": { stdout: "kind v0.17.0 go1.19.2 linux/amd64" } });
    const p = await providerFor(testEnv({}, root));
    await expect(ensureCluster(p)).rejects.toThrow("kind v0.17.0 is too old: devenv needs kind 0.20.0 or newer");
    expect(fake.lines()).toEqual(["kind version"]);
  });

  it("says how to install kind when it is not on PATH", async () => {
    const saved = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      await expect((await providerFor(testEnv({}, root))).ensureInstalled()).rejects.toMatchObject({ message: "kind is not installed (not found on PATH)", hint: expect.stringContaining("kind.sigs.k8s.io") });
    } finally {
      process.env.PATH = saved;
    }
  });
});

describe("k3d provider", () => {
  const list = JSON.stringify([
    { name: "other", nodes: [] },
    { name: "devenv", nodes: [{ name: "k3d-devenv-server-0", role: "server" }, { name: "k3d-devenv-agent-0", role: "agent" }, { name: "k3d-devenv-serverlb", role: "loadbalancer" }] },
  ]);

  it("creates a missing cluster from the config file written to .devenv/", async () => {
    fake.script({ "k3d version": { stdout: "k3d version v5.8.3\nk3s version v1.31.5-k3s1 (default)" }, "k3d cluster list -o json": { stdout: "[]" } });
    const env = testEnv({ cluster: { provider: "k3d", ports } }, root);
    const { created, handle } = await ensureCluster(await providerFor(env));
    expect(created).toBe(true);
    const file = join(root, ".devenv/k3d-devenv.yaml");
    expect(fake.lines()).toEqual(["k3d version", "k3d cluster list -o json", `k3d cluster create --config ${file}`, "k3d cluster list -o json"]);
    expect(parse(readFileSync(file, "utf8")).ports[0]).toEqual({ port: "127.0.0.1:38080:80", nodeFilters: ["loadbalancer"] });
    // The shared RWX directory exists before k3d mounts it into every node (k3d only warns when it does not).
    const shared = join(root, ".devenv/k3d-devenv-rwx");
    expect(statSync(shared).isDirectory()).toBe(true);
    expect(parse(readFileSync(file, "utf8")).volumes).toContainEqual({ volume: `${shared}:/var/lib/devenv/rwx`, nodeFilters: ["server:*", "agent:*"] });
    expect(handle.context).toBe("k3d-devenv");
  });

  it("lists server and agent nodes only, and deletes by name", async () => {
    fake.script({ "k3d cluster list -o json": { stdout: list } });
    const p = await providerFor(testEnv({ cluster: { provider: "k3d" } }, root));
    expect(await p.nodes()).toEqual(["k3d-devenv-server-0", "k3d-devenv-agent-0"]);
    await p.delete();
    expect(fake.lines()).toEqual(["k3d cluster list -o json", "k3d cluster delete devenv"]);
  });

  it("refuses a k3d older than 5.6", async () => {
    fake.script({ "k3d version": { stdout: "k3d version v5.4.9\nk3s version v1.25.7-k3s1 (default)" } });
    await expect((await providerFor(testEnv({ cluster: { provider: "k3d" } }, root))).ensureInstalled()).rejects.toThrow("k3d v5.4.9 is too old: devenv needs k3d 5.6.0 or newer");
  });
});

describe("existing provider", () => {
  const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{name: c1, cluster: {server: "https://127.0.0.1:6443"}}]
users: [{name: u1, user: {token: x}}]
contexts: [{name: staging, context: {cluster: c1, user: u1}}, {name: prod-ro, context: {cluster: c1, user: u1}}]
current-context: staging
`;
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.KUBECONFIG;
    writeFileSync(join(root, "kubeconfig"), kubeconfig);
    process.env.KUBECONFIG = join(root, "kubeconfig");
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  });

  it("reuses a context that exists, running no tool", async () => {
    const { created, handle } = await ensureCluster(await providerFor(testEnv({ cluster: { provider: "existing", context: "staging" } }, root)));
    expect(created).toBe(false);
    expect(handle).toEqual({ provider: "existing", name: "staging", context: "staging", nodes: [] });
    expect(fake.lines()).toEqual([]);
  });

  it("an unknown context is a config error listing the available ones", async () => {
    const p = await providerFor(testEnv({ cluster: { provider: "existing", context: "stagin" } }, root));
    await expect(ensureCluster(p)).rejects.toMatchObject({
      message: 'kube context "stagin" is not in the kubeconfig',
      where: `${root}/devenv.ts (cluster.context)`,
      hint: "use one of: staging, prod-ro",
      exitCode: 2,
    });
  });

  it("a missing cluster.context is a config error", async () => {
    const p = await providerFor(testEnv({ cluster: { provider: "existing" } }, root));
    expect(() => p.context).toThrow('cluster.provider is "existing" but cluster.context is not set');
  });
});

describe("a cluster that exists without its kube context", () => {
  let saved: string | undefined;
  let file: string;
  beforeEach(() => {
    saved = process.env.KUBECONFIG;
    file = join(root, "kubeconfig");
    writeFileSync(file, kubeconfigWith("unrelated"));
    process.env.KUBECONFIG = file;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  });

  it("kind: runs `kind export kubeconfig --name <name>` and goes on", async () => {
    fake.script({ "kind export kubeconfig --name devenv": { files: { [file]: kubeconfigWith("kind-devenv") } } });
    const log: string[] = [];
    await ensureContext(await providerFor(testEnv({}, root)), (l) => log.push(l));
    expect(fake.lines()).toEqual(["kind export kubeconfig --name devenv"]);
    expect(log).toEqual([`kind cluster devenv exists but context kind-devenv is not in ${file}: writing it back`]);
  });

  it("k3d: runs `k3d kubeconfig merge <name> --kubeconfig-merge-default` without switching context", async () => {
    fake.script({ "k3d kubeconfig merge devenv": { files: { [file]: kubeconfigWith("k3d-devenv") } } });
    await ensureContext(await providerFor(testEnv({ cluster: { provider: "k3d" } }, root)), () => {});
    expect(fake.lines()).toEqual(["k3d kubeconfig merge devenv --kubeconfig-merge-default --kubeconfig-switch-context=false"]);
  });

  it("runs nothing when the context is there", async () => {
    writeFileSync(file, kubeconfigWith("kind-devenv"));
    await ensureContext(await providerFor(testEnv({}, root)), () => {});
    expect(fake.lines()).toEqual([]);
  });

  it("a context still missing after the export is a clear error", async () => {
    fake.script({});
    await expect(ensureContext(await providerFor(testEnv({}, root)), () => {})).rejects.toMatchObject({
      message: `kind cluster "devenv" exists, but its context kind-devenv is still not in ${file} after asking kind to write it`,
    });
  });

  it("a failing export names the command", async () => {
    fake.script({ "kind export kubeconfig": { code: 1, stderr: "ERROR: could not locate any control plane nodes" } });
    await expect(ensureContext(await providerFor(testEnv({}, root)), () => {})).rejects.toThrow(/kind export kubeconfig --name devenv/);
  });
});

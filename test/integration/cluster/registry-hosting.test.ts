// An existing cluster's registry (KEP-1755), against the in-process test API server: without the
// kube-public/local-registry-hosting ConfigMap devenv loads nothing; with it, `up` pushes to its
// `host` and the manifests name `hostFromContainerRuntime`; a ConfigMap it cannot read is a clear error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeApiServer } from "../../helpers/kube-api-server/index.js";
import { ensureEnvCluster } from "../../../src/cluster/ensure.js";
import { discoverRegistry } from "../../../src/cluster/registry-hosting.js";
import { KubeRest } from "../../../src/kube/rest.js";
import { testEnv } from "../../unit/cluster/env.js";

const hosting = (value: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "local-registry-hosting", namespace: "kube-public" }, data: { "localRegistryHosting.v1": value } });

describe("existing cluster: the registry it advertises", () => {
  let server: KubeApiServer;
  const saved = process.env.KUBECONFIG;

  beforeAll(async () => {
    server = await KubeApiServer.start();
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-public" } });
    process.env.KUBECONFIG = server.kubeconfig();
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    await server?.close();
  });

  const env = () => testEnv({ cluster: { provider: "existing", context: "test" } });

  it("no ConfigMap: no registry, nothing is loaded", async () => {
    expect(await discoverRegistry(await KubeRest.forContext("test"))).toBeUndefined();
    const { handle } = await ensureEnvCluster(env());
    expect(handle).toEqual({ provider: "existing", name: "test", context: "test", nodes: [] });
  });

  it("the ConfigMap's host is pushed to, hostFromContainerRuntime is what the manifests name", async () => {
    server.put(hosting('host: "localhost:5000"\nhostFromContainerRuntime: "registry.local:5000"\nhelp: "https://example.test/registry"\n'));
    const log: string[] = [];
    const { handle } = await ensureEnvCluster(env(), (l) => log.push(l));
    expect(handle).toMatchObject({ registry: "localhost:5000", imageRegistry: "registry.local:5000", nodes: [] });
    expect(log).toContain("pushing devenv's images to localhost:5000 (the cluster pulls them as registry.local:5000): the cluster's kube-public/local-registry-hosting");
    // Opted out: the ConfigMap is not even read.
    const off = await ensureEnvCluster(testEnv({ cluster: { provider: "existing", context: "test", registry: { enabled: false } } }));
    expect(off.handle.registry).toBeUndefined();
  });

  it("a ConfigMap that is not KEP-1755 YAML is an error that says what to fix", async () => {
    server.put(hosting("- not\n- a mapping\n"));
    await expect(discoverRegistry(await KubeRest.forContext("test"))).rejects.toMatchObject({
      message: "the cluster's kube-public/local-registry-hosting ConfigMap cannot be read: localRegistryHosting.v1 is not a YAML mapping",
      hint: expect.stringContaining("cluster.registry.host"),
    });
  });
});

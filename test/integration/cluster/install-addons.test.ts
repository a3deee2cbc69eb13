// The install-addons step's glue against the in-process test API server: the ingress addon is
// applied (server-side apply), waited for, and probed on localhost — where a stand-in answers
// as nginx, since no real controller runs here (the test plays the kubelet). The real probes are verified on a laptop.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installAddonsStep } from "../../../src/up/steps/addons.js";
import { ADDONS_OWNER } from "../../../src/addons/install.js";
import type { UpContext } from "../../../src/up/context.js";
import { startKubeApiServer, type KubeApiServer } from "../../helpers/kube-api-server/index.js";
import { testEnv } from "../../unit/cluster/env.js";

describe("install-addons step (test API server)", () => {
  let server: KubeApiServer;
  let nginx: Server;
  let saved: string | undefined;

  beforeAll(async () => {
    server = await startKubeApiServer();
    saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = server.kubeconfig();
    nginx = createServer((_req, res) => res.writeHead(404, { server: "nginx" }).end("default backend")).listen(0, "127.0.0.1");
    await new Promise((r) => nginx.once("listening", r));
  });

  afterAll(async () => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    nginx.close();
    await server.close();
  });

  it("applies the ingress addon as cluster-owned objects, waits for it and probes localhost", async () => {
    const env = testEnv({
      cluster: { ports: { http: (nginx.address() as AddressInfo).port, https: 443 } },
      addons: { nfs: { enabled: false }, metricsServer: { enabled: false }, ingress: { className: "public" } },
    });
    const ctx = { env, target: "cluster", dryRun: false, yes: true, verbose: false, watch: false, images: new Map(), cluster: { provider: "kind", name: "devenv", context: "test", nodes: [] }, log: () => {} } as UpContext;
    const lines: string[] = [];
    const step = installAddonsStep.run(ctx, { output: (l) => lines.push(l), title: () => {}, skipped: () => {} });
    // Play the kubelet: once the controller Deployment is applied, report it available.
    while (!server.get("apps/v1", "Deployment", "ingress-nginx", "ingress-nginx-controller")) await new Promise((r) => setTimeout(r, 100));
    server.setDeploymentAvailable("ingress-nginx", "ingress-nginx-controller");
    await step;
    const deploy = server.get("apps/v1", "Deployment", "ingress-nginx", "ingress-nginx-controller");
    expect(deploy?.metadata.labels?.["devenv.dev/env"]).toBe(ADDONS_OWNER);
    expect(server.get("networking.k8s.io/v1", "IngressClass", undefined, "public")).toBeDefined();
    expect(lines).toContain("ingress: ingress-nginx answered HTTP 404");
  });
});

describe("install-addons step: NFS and its RWX probe (test API server)", () => {
  let server: KubeApiServer;
  let saved: string | undefined;

  beforeAll(async () => {
    server = await startKubeApiServer();
    saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = server.kubeconfig();
  });

  afterAll(async () => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    await server.close();
  });

  const until = async (ok: () => boolean) => {
    while (!ok()) await new Promise((r) => setTimeout(r, 100));
  };
  const pods = ["devenv-probe-rwx-a", "devenv-probe-rwx-b"];
  /** Plays the kubelet for the RWX probe: both pods ran to completion. */
  const probePodsSucceed = async () => {
    await until(() => pods.every((p) => server.get("v1", "Pod", "devenv-nfs", p)));
    for (const p of pods) {
      const r = await fetch(`${server.url}/api/v1/namespaces/devenv-nfs/pods/${p}/status`, {
        method: "PATCH",
        headers: { "content-type": "application/merge-patch+json" },
        body: JSON.stringify({ status: { phase: "Succeeded" } }),
      });
      expect(r.status).toBe(200);
    }
  };

  it("waits for the NFS server, runs the two-pod probe to success, then removes the probe objects", async () => {
    const env = testEnv({ addons: { metricsServer: { enabled: false }, ingress: { enabled: false } } });
    const ctx = { env, target: "cluster", dryRun: false, yes: true, verbose: false, watch: false, images: new Map(), cluster: { provider: "kind", name: "devenv", context: "test", nodes: [] }, log: () => {} } as UpContext;
    const lines: string[] = [];
    const step = installAddonsStep.run(ctx, { output: (l) => lines.push(l), title: () => {}, skipped: () => {} });
    await until(() => !!server.get("apps/v1", "StatefulSet", "devenv-nfs", "nfs-provisioner"));
    server.setWorkloadReady("devenv-nfs", "statefulset/nfs-provisioner");
    await probePodsSucceed();
    await step;
    expect(lines).toContain("nfs: two pods shared a ReadWriteMany volume");
    expect(server.get("storage.k8s.io/v1", "StorageClass", undefined, "nfs")).toMatchObject({ provisioner: "devenv.dev/nfs", mountOptions: ["vers=4.1"] });
    for (const p of pods) expect(server.get("v1", "Pod", "devenv-nfs", p)).toBeUndefined();
    expect(server.get("v1", "PersistentVolumeClaim", "devenv-nfs", "devenv-probe-rwx")).toBeUndefined();
  });

  it("k3d: the shared-path provisioner instead of the NFS server, the class devenv.ts names, the same probe", async () => {
    // Another class name than the kind run's: a StorageClass' provisioner cannot change (a k3d
    // cluster that had the NFS addon is recreated anyway, for the shared volume).
    const env = testEnv({ cluster: { provider: "k3d" }, addons: { nfs: { storageClass: "shared" }, metricsServer: { enabled: false }, ingress: { enabled: false } } });
    const ctx = { env, target: "cluster", dryRun: false, yes: true, verbose: false, watch: false, images: new Map(), cluster: { provider: "k3d", name: "devenv", context: "test", nodes: [] }, log: () => {} } as UpContext;
    const lines: string[] = [];
    const step = installAddonsStep.run(ctx, { output: (l) => lines.push(l), title: () => {}, skipped: () => {} });
    await until(() => !!server.get("apps/v1", "Deployment", "devenv-nfs", "shared-path-provisioner"));
    server.setDeploymentAvailable("devenv-nfs", "shared-path-provisioner");
    await probePodsSucceed();
    await step;
    expect(lines).toContain("nfs: two pods shared a ReadWriteMany volume");
    expect(server.get("storage.k8s.io/v1", "StorageClass", undefined, "shared")).toMatchObject({ provisioner: "devenv.dev/shared-path", volumeBindingMode: "Immediate" });
    expect(server.get("v1", "PersistentVolumeClaim", "devenv-nfs", "devenv-probe-rwx")).toBeUndefined();
    expect(server.get("v1", "ConfigMap", "devenv-nfs", "shared-path-config")?.metadata.labels?.["devenv.dev/env"]).toBe(ADDONS_OWNER);
    for (const p of pods) expect(server.get("v1", "Pod", "devenv-nfs", p)).toBeUndefined();
  });
});

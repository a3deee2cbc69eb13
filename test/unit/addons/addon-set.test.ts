// Golden tests of the addon object set per provider and option, plus the decisions inside it.
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { addonObjects, addonOptions, addonReleases, kubernetesVersionOf, metricsServerVersion } from "../../../src/addons/addon-set.js";
import { containersOf, podSpecOf } from "../../../src/kube/pod-spec.js";
import { addonImages } from "../../../src/addons/images.js";
import { addonPlan } from "../../../src/addons/install.js";
import type { KubeObject } from "../../../src/model/index.js";
import { testEnv } from "../cluster/env.js";

const yaml = (objects: KubeObject[]) => objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
const find = (objects: KubeObject[], kind: string, name?: string) => objects.find((o) => o.kind === kind && (!name || o.metadata.name === name))!;
const ids = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);

describe("addon set", () => {
  it("k3d RWX: no NFS server; the class keeps devenv.ts' name on a provisioner of its own, on the nodes' shared path, its helper image overridden and preloaded", () => {
    const env = testEnv({ cluster: { provider: "k3d" }, addons: { nfs: { storageClass: "shared" } }, imageOverrides: { "busybox:1.36": "mirror.local/busybox:1.36" } });
    const o = addonOptions(env);
    const objects = addonObjects(o);
    expect(addonReleases(o).map((r) => r.name)).toContain("local-path-shared");
    expect(ids(objects).filter((i) => /nfs-provisioner|StatefulSet/.test(i))).toEqual([]);
    const sc = find(objects, "StorageClass") as KubeObject & { provisioner: string; volumeBindingMode: string };
    expect([sc.metadata.name, sc.provisioner, sc.volumeBindingMode]).toEqual(["shared", "devenv.dev/shared-path", "Immediate"]);
    // Not k3s' own provisioner: its names, ConfigMap and RBAC are devenv's.
    expect(ids(objects)).not.toContain("ConfigMap/local-path-config");
    const data = (find(objects, "ConfigMap", "shared-path-config") as KubeObject & { data: Record<string, string> }).data;
    expect(JSON.parse(data["config.json"]!)).toEqual({ nodePathMap: [], sharedFileSystemPath: "/var/lib/devenv/rwx" });
    expect(parse(data["helperPod.yaml"]!).spec.containers[0].image).toBe("mirror.local/busybox:1.36");
    const args = podSpecOf(find(objects, "Deployment", "shared-path-provisioner"))!.containers[0]!.command!;
    expect(args.join(" ")).toContain("--provisioner-name devenv.dev/shared-path --configmap-name shared-path-config --service-account-name shared-path-provisioner");
    expect(addonImages(env)).toEqual(expect.arrayContaining(["rancher/local-path-provisioner:v0.0.32", "mirror.local/busybox:1.36"]));
    expect(addonPlan(o).join("\n")).toMatch(/local-path-shared v0\.0\.32 \[rancher\/local-path-provisioner:v0\.0\.32, busybox:1\.36\] → StorageClass "shared" \(ReadWriteMany on \/var\/lib\/devenv\/rwx/);
    expect(addonPlan(o).join("\n")).not.toContain("warning");
  });

  it("kind, defaults: NFS, metrics-server with --kubelet-insecure-tls, ingress pinned to the ingress-ready node", async () => {
    const objects = addonObjects(addonOptions(testEnv()));
    await expect(yaml(objects)).toMatchFileSnapshot("__golden__/kind-default.yaml");
    const ingress = podSpecOf(find(objects, "Deployment", "ingress-nginx-controller"))!;
    expect(ingress.nodeSelector).toEqual({ "kubernetes.io/os": "linux", "ingress-ready": "true" });
    expect(ingress.containers[0]!.ports!.map((p) => p.hostPort)).toEqual([80, 443]);
    expect(containersOf(find(objects, "Deployment", "metrics-server"))[0]!.args).toContain("--kubelet-insecure-tls");
    const nfs = find(objects, "StatefulSet", "nfs-provisioner").spec as { volumeClaimTemplates: { spec: { storageClassName: string } }[] };
    expect(nfs.volumeClaimTemplates[0]!.spec.storageClassName).toBe("standard");
    expect(find(objects, "StorageClass")).toMatchObject({ metadata: { name: "nfs" }, mountOptions: ["vers=4.1"] });
  });

  it("k3d: no metrics-server (bundled), ingress without hostPorts behind the LoadBalancer Service, RWX through the shared-path provisioner", async () => {
    const objects = addonObjects(addonOptions(testEnv({ cluster: { provider: "k3d" } })));
    await expect(yaml(objects)).toMatchFileSnapshot("__golden__/k3d-default.yaml");
    expect(ids(objects).filter((i) => i.includes("metrics"))).toEqual([]);
    const ingress = podSpecOf(find(objects, "Deployment", "ingress-nginx-controller"))!;
    expect(ingress.containers[0]!.ports!.some((p) => p.hostPort)).toBe(false);
    expect(ingress.tolerations).toBeUndefined();
    expect(find(objects, "Service", "ingress-nginx-controller").spec).toMatchObject({ type: "LoadBalancer" });
  });

  it("existing: metrics-server without the insecure flag, NFS on the default storage class", async () => {
    const objects = addonObjects(addonOptions(testEnv({ cluster: { provider: "existing", context: "staging" } })));
    await expect(yaml(objects)).toMatchFileSnapshot("__golden__/existing-default.yaml");
    expect(containersOf(find(objects, "Deployment", "metrics-server"))[0]!.args).not.toContain("--kubelet-insecure-tls");
    const nfs = find(objects, "StatefulSet", "nfs-provisioner").spec as { volumeClaimTemplates: { spec: Record<string, unknown> }[] };
    expect(nfs.volumeClaimTemplates[0]!.spec.storageClassName).toBeUndefined();
  });

  it("options: class names, NFS size, disabled addons, registry ConfigMap and image overrides", async () => {
    const env = testEnv({
      cluster: { registry: { enabled: true, port: 5002 } },
      addons: { nfs: { storageClass: "shared", size: "2Gi" }, metricsServer: { enabled: false }, ingress: { className: "public" } },
      imageOverrides: { "registry.k8s.io/ingress-nginx/controller:v1.15.1": "mirror.local/controller:v1.15.1" },
    });
    const objects = addonObjects(addonOptions(env));
    await expect(yaml(objects)).toMatchFileSnapshot("__golden__/kind-options.yaml");
    expect(find(objects, "StorageClass").metadata.name).toBe("shared");
    expect(find(objects, "IngressClass").metadata.name).toBe("public");
    expect(containersOf(find(objects, "Deployment", "ingress-nginx-controller"))[0]).toMatchObject({ image: "mirror.local/controller:v1.15.1", args: expect.arrayContaining(["--ingress-class=public"]) });
    expect(ids(objects).some((i) => i.includes("metrics"))).toBe(false);
    const hosting = (find(objects, "ConfigMap", "local-registry-hosting").data as Record<string, string>)["localRegistryHosting.v1"]!;
    expect(parse(hosting)).toEqual({ host: "localhost:5002", hostFromContainerRuntime: "localhost:5002", hostFromClusterNetwork: "devenv-registry:5000", help: "https://kind.sigs.k8s.io/docs/user/local-registry/" });
  });

  it("nothing enabled: nothing to apply", () => {
    const env = testEnv({ cluster: { registry: { enabled: false } }, addons: { nfs: { enabled: false }, metricsServer: { enabled: false }, ingress: { enabled: false } } });
    expect(addonObjects(addonOptions(env))).toEqual([]);
    // The local registry is on by default: its KEP-1755 ConfigMap is applied with the addons.
    const registryOnly = testEnv({ addons: { nfs: { enabled: false }, metricsServer: { enabled: false }, ingress: { enabled: false } } });
    expect(ids(addonObjects(addonOptions(registryOnly)))).toEqual(["ConfigMap/local-registry-hosting"]);
    expect(addonPlan(addonOptions(env))).toEqual(["no addons enabled"]);
  });

  it("metrics-server v0.9.0 from Kubernetes 1.34, read from the node image or the server", () => {
    expect(metricsServerVersion(undefined)).toBe("v0.8.1");
    expect(metricsServerVersion("v1.33.4")).toBe("v0.8.1");
    expect(metricsServerVersion("v1.34.0")).toBe("v0.9.0");
    expect(kubernetesVersionOf(testEnv({ cluster: { nodeImage: "kindest/node:v1.34.0@sha256:abc" } }).config.cluster)).toBe("v1.34.0");
    expect(kubernetesVersionOf(testEnv({ cluster: { provider: "k3d", k3sVersion: "v1.34.1-k3s1" } }).config.cluster)).toBe("v1.34.1");
    const objects = addonObjects(addonOptions(testEnv(), "v1.35.0"));
    expect(containersOf(find(objects, "Deployment", "metrics-server"))[0]!.image).toBe("registry.k8s.io/metrics-server/metrics-server:v0.9.0");
  });

  it("lists every addon image once, for loading from the host cache", () => {
    expect(addonImages(testEnv())).toEqual([
      "registry.k8s.io/sig-storage/nfs-provisioner:v4.0.8",
      "registry.k8s.io/metrics-server/metrics-server:v0.8.1",
      "registry.k8s.io/ingress-nginx/controller:v1.15.1",
      "busybox:1.36",
    ]);
    expect(addonImages(testEnv({ imageOverrides: { "busybox:1.36": "devenv-local/debian:bookworm" } }))).toContain("devenv-local/debian:bookworm");
  });

  it("the plan names versions, probes and every object", () => {
    const plan = addonPlan(addonOptions(testEnv()));
    expect(plan[0]).toMatch(/^apply \d+ objects/);
    expect(plan).toContain("  metrics-server v0.8.1 [registry.k8s.io/metrics-server/metrics-server:v0.8.1] with --kubelet-insecure-tls (Kubernetes version not known before the cluster answers; from 1.34 it is v0.9.0); probe: a node metrics read");
    expect(plan.some((l) => l.startsWith("  ingress-nginx v1.15.1 [registry.k8s.io/ingress-nginx/controller:v1.15.1]"))).toBe(true);
    const on134 = addonPlan(addonOptions(testEnv({ cluster: { nodeImage: "kindest/node:v1.34.0" } })));
    expect(on134).toContain("  metrics-server v0.9.0 [registry.k8s.io/metrics-server/metrics-server:v0.9.0] with --kubelet-insecure-tls (for Kubernetes v1.34.0); probe: a node metrics read");
    expect(plan).toContain("    Deployment/ingress-nginx/ingress-nginx-controller");
  });
});

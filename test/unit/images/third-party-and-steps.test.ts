// Third-party images named by manifests, registry-aware cluster refs, and the steps' plans.
import { describe, expect, it } from "vitest";
import { thirdPartyRefs } from "../../../src/images/third-party.js";
import { containerImages } from "../../../src/kube/pod-spec.js";
import { clusterImageRef, configuredRegistry } from "../../../src/images/refs.js";
import { buildImagesStep, loadImagesStep } from "../../../src/up/steps/images.js";
import { envSchema } from "../../../src/config/schema.js";
import type { BuiltImage, KubeObject } from "../../../src/model/index.js";
import type { UpContext } from "../../../src/up/context.js";

const built: BuiltImage[] = [{ name: "api", repository: "acme/api", ref: "acme/api:devenv-0123456789ab", id: "sha256:1", built: true }];
const objects: KubeObject[] = [
  { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" }, spec: { template: { spec: { initContainers: [{ name: "wait", image: "busybox:1.36" }], containers: [{ name: "api", image: "acme/api:latest" }] } } } },
  { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db" }, spec: { template: { spec: { containers: [{ name: "pg", image: "postgres:16" }] } } } },
  { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "backup" }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "b", image: "postgres:16" }] } } } } } },
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { image: "not-a-container:1" } },
];

describe("third-party images", () => {
  it("finds container images in every workload shape, once each", () => {
    expect(containerImages(objects)).toEqual(["busybox:1.36", "acme/api:latest", "postgres:16"]);
  });

  it("leaves out built repositories and applies overrides", () => {
    expect(thirdPartyRefs(containerImages(objects), built, { "postgres:16": "devenv-local/postgres:16" })).toEqual(["busybox:1.36", "devenv-local/postgres:16"]);
  });
});

describe("cluster refs with a registry", () => {
  it("names built images by the registry, third-party ones by their override", () => {
    expect(clusterImageRef("acme/api:latest", built, {}, "localhost:5001")).toBe("localhost:5001/acme/api:devenv-0123456789ab");
    expect(clusterImageRef("acme/api:latest", built, {})).toBe("acme/api:devenv-0123456789ab");
    expect(clusterImageRef("postgres:16", built, { "postgres:16": "devenv-local/postgres:16" }, "localhost:5001")).toBe("devenv-local/postgres:16");
    expect(configuredRegistry({ provider: "kind", registry: { enabled: true, port: 5005 } })).toBe("localhost:5005");
    expect(configuredRegistry({ provider: "kind", registry: { enabled: false, port: 5005 } })).toBeUndefined();
  });
});

describe("image steps", () => {
  const ctxFor = (input: Record<string, unknown>): UpContext => {
    const config = envSchema.parse({ name: "shop", ...input });
    return { env: { config, file: "/x/devenv.ts", root: "/x", namespace: "shop" }, target: "cluster", dryRun: true, yes: false, verbose: false, watch: false, images: new Map(), log: () => {} };
  };

  it("keeps the ids", () => {
    expect(buildImagesStep.id).toBe("build-images");
    expect(loadImagesStep.id).toBe("load-images");
  });

  it("plans loads per provider and registry", async () => {
    const images = { api: { image: "acme/api", context: "api" } };
    expect(await loadImagesStep.plan(ctxFor({ images, cluster: { registry: { enabled: false } } }))).toEqual([
      "import into each kind node of cluster devenv (skipping nodes that hold the image ID): acme/api (content tags)",
      "import third-party images (the manifests' and the addons') from the host image cache into each kind node (after imageOverrides); addon images: registry.k8s.io/sig-storage/nfs-provisioner:v4.0.8, registry.k8s.io/metrics-server/metrics-server:v0.8.1, registry.k8s.io/ingress-nginx/controller:v1.15.1, busybox:1.36",
    ]);
    // The default for kind and k3d: push through the local registry.
    const pushLine = "push to the local registry localhost:5001 (only the layers it lacks; nothing for an unchanged image; old content tags beyond the newest 3 per image deleted there): acme/api (content tags)";
    expect((await loadImagesStep.plan(ctxFor({ images })))[0]).toBe(pushLine);
    expect((await loadImagesStep.plan(ctxFor({ images, cluster: { provider: "k3d" } })))[0]).toBe(pushLine);
    expect(await loadImagesStep.plan(ctxFor({ images, cluster: { provider: "existing", context: "prod-like" } }))).toEqual([
      "push acme/api (content tags, only the layers it lacks) to the registry the cluster advertises in kube-public/local-registry-hosting (KEP-1755), if it advertises one; else nothing is loaded",
    ]);
    expect(await loadImagesStep.plan(ctxFor({ images, cluster: { provider: "existing", context: "prod-like", registry: { host: "registry.dev:5000" } } }))).toEqual(["push acme/api (content tags, only the layers it lacks) to registry.dev:5000"]);
    expect(await loadImagesStep.plan(ctxFor({ images, cluster: { provider: "existing", context: "prod-like", registry: { enabled: false } } }))).toEqual(["existing cluster, cluster.registry.enabled: false: nothing is loaded (the cluster pulls its images)"]);
  });

  it("build plan says so when nothing is declared", async () => {
    expect(await buildImagesStep.plan(ctxFor({}))).toEqual(["no images declared in devenv.ts"]);
  });
});

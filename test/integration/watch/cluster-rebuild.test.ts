// The cluster side of a rebuild against the in-process test API server (devenv's REST client for real):
// the pods of the image are the sync targets, and a rebuild patches only the workloads that run
// the image's repository, then waits for the rollout. The build itself is the compose tests'
// business; here it returns a new content tag.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { KubeApiServer } from "../../helpers/kube-api-server/index.js";
import { KubeRest } from "../../../src/kube/rest.js";
import { clusterDriver } from "../../../src/watch/cluster-driver.js";
import type { BuiltImage } from "../../../src/model/index.js";
import { envSchema } from "../../../src/config/schema.js";
import type { LoadedEnv } from "../../../src/config/load.js";

const NS = "demo";
const built = (tag: string): BuiltImage => ({ name: "web", repository: "demo/web", ref: `demo/web:${tag}`, id: `sha256:${tag}`, built: true });
const template = (app: string, image: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: app, image }] } });

describe("cluster rebuild through the test API server", () => {
  let server: KubeApiServer;
  let rest: KubeRest;
  const env: LoadedEnv = { config: envSchema.parse({ name: "demo", images: { web: { image: "demo/web", context: "." } } }), file: "/x/devenv.ts", root: "/x", namespace: NS };

  beforeAll(async () => {
    server = await KubeApiServer.start();
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } });
    server.put({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: NS }, spec: { replicas: 2, selector: { matchLabels: { app: "web" } }, template: template("web", "demo/web:v1") } });
    server.put({ apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db", namespace: NS }, spec: { serviceName: "db", selector: { matchLabels: { app: "db" } }, template: template("db", "postgres:16") } });
    server.setDeploymentAvailable(NS, "web");
    server.setWorkloadReady(NS, "statefulset/db");
    const kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfig());
    rest = new KubeRest(kc);
  });

  afterAll(async () => {
    await server?.close();
  });

  it("targets the running pods of the image's repository", async () => {
    const driver = clusterDriver(env, rest, { provider: "existing", name: "x", context: "test", nodes: [] });
    const labels = (await driver.targets(built("v1"))).map((t) => t.label);
    expect(labels).toHaveLength(2);
    expect(labels.every((l) => /^pod web-.+\/web$/.test(l))).toBe(true);
  });

  it("a rebuild patches the workloads of the image and waits for their rollout", async () => {
    server.clearWrites();
    const driver = clusterDriver(env, rest, { provider: "existing", name: "x", context: "test", nodes: [] }, { build: async () => built("v2"), rolloutTimeoutMs: 20_000 });
    // Play the controllers: once the Deployment changes, its new pods become available.
    const timer = setInterval(() => {
      const d = server.get("apps/v1", "Deployment", NS, "web");
      const image = (d?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image;
      if (image === "demo/web:v2" && (d?.status as { observedGeneration?: number })?.observedGeneration !== d?.metadata.generation) server.setDeploymentAvailable(NS, "web");
    }, 25);
    try {
      const { image, replaced } = await driver.rebuild("web", built("v1"), () => {});
      expect(image.ref).toBe("demo/web:v2");
      expect(replaced).toEqual(["deployment/web"]);
    } finally {
      clearInterval(timer);
    }
    const changes = server.changes().filter((w) => !w.subresource && w.kind !== "Pod");
    expect(changes.map((w) => `${w.verb} ${w.kind}/${w.name} by ${w.fieldManager}`)).toEqual(["patch Deployment/web by devenv"]);
    const sts = server.get("apps/v1", "StatefulSet", NS, "db");
    expect((sts?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image).toBe("postgres:16");
  });

  it("with the local registry: the rebuilt image is pushed under the registry's name and the workload rolls to it", async () => {
    const reg = "localhost:5001";
    server.put({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api", namespace: NS }, spec: { replicas: 1, selector: { matchLabels: { app: "api" } }, template: template("api", `${reg}/demo/api:v1`) } });
    server.setDeploymentAvailable(NS, "api");
    server.clearWrites();
    const loads: string[] = [];
    const loader = { via: "registry", targets: [reg], missing: async () => new Map(), load: async (images: { ref: string }[]) => (loads.push(...images.map((i) => i.ref)), []) };
    const api = (tag: string): BuiltImage => ({ name: "api", repository: "demo/api", ref: `demo/api:${tag}`, id: `sha256:${tag}`, built: true });
    const cluster = { provider: "kind" as const, name: "x", context: "test", nodes: ["x-control-plane"], registry: reg, imageRegistry: reg };
    const driver = clusterDriver(env, rest, cluster, { build: async () => api("v2"), loader, rolloutTimeoutMs: 20_000 });
    const imageOf = () => (server.get("apps/v1", "Deployment", NS, "api")?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image;
    const timer = setInterval(() => {
      const d = server.get("apps/v1", "Deployment", NS, "api");
      if (imageOf() === `${reg}/demo/api:v2` && (d?.status as { observedGeneration?: number })?.observedGeneration !== d?.metadata.generation) server.setDeploymentAvailable(NS, "api");
    }, 25);
    const started = performance.now();
    try {
      expect((await driver.rebuild("api", api("v1"), () => {})).replaced).toEqual(["deployment/api"]);
    } finally {
      clearInterval(timer);
    }
    // The figure (not asserted: speed lives in bench/): rebuild returned → rolled out, without the build and the push.
    console.log(`cluster rebuild via registry: patch → rolled out on the test API server in ${(performance.now() - started).toFixed(0)} ms`);
    expect(loads).toEqual([`${reg}/demo/api:v2`]);
    expect(imageOf()).toBe(`${reg}/demo/api:v2`);
    expect(server.changes().filter((w) => !w.subresource && w.kind === "Deployment").map((w) => `${w.verb} ${w.name}`)).toEqual(["patch api"]);
  });

  it("a rebuild that yields the same image changes nothing", async () => {
    server.clearWrites();
    const driver = clusterDriver(env, rest, { provider: "existing", name: "x", context: "test", nodes: [] }, { build: async () => built("v2") });
    expect(await driver.rebuild("web", built("v2"), () => {})).toEqual({ image: built("v2"), replaced: [] });
    expect(server.changes().filter((w) => w.kind !== "Pod")).toEqual([]);
  });
});

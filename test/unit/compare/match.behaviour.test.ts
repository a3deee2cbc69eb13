// compare-compose's matching (docs/compare-compose.md, "Matching" and "Images"): which container
// plays which compose service, and why the report says so.
import { describe, expect, it } from "vitest";
import { workload, yamlStream as all } from "./compare-yaml.js";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks, type CompareOptions } from "../../../src/compare/compare.js";
import { normalImage, normalRepo, sameImage } from "../../../src/compare/match.js";
import { parseManifests } from "../../../src/kube/manifests.js";
import { writeFiles } from "../compose/write-files.js";

function pairs(compose: string, manifests: string, opts: CompareOptions = {}) {
  const dir = writeFiles({ "compose.yml": compose });
  const r = compareStacks(loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }), parseManifests(manifests, "test.yaml"), opts);
  return Object.fromEntries(r.services.filter((s) => s.matchedBy || !s.workload).map((s) => [s.service, s.workload ? `${s.workload} ${s.container} by ${s.matchedBy}` : "-"]));
}
const w = (name: string, containers: string, labels = `app: ${name}`, kind = "Deployment", metaLabels = "") => workload(name, containers, { labels, kind, metaLabels });
const svc = (name: string, selector: string) => `apiVersion: v1\nkind: Service\nmetadata: { name: ${name} }\nspec: { selector: { ${selector} }, ports: [{ port: 80 }] }`;

describe("the order of evidence", () => {
  it("compare.map by name or kind/name wins over everything, and frees the mapped workload's own name", () => {
    const k8s = all(w("api", "[{ name: api, image: other }]"), w("backend", "[{ name: b, image: a }]"));
    expect(pairs("services:\n  api: { image: a }\n", k8s, { map: { api: "deployment/backend" } })).toEqual({ api: "Deployment/backend b by map" });
    expect(pairs("services:\n  web: { image: x }\n  api: { image: a }\n", k8s, { map: { web: "api" } })).toMatchObject({ web: "Deployment/api api by map" });
  });
  it("a workload named like the service", () => {
    expect(pairs("services:\n  api: { image: a }\n", all(w("api", "[{ name: main, image: z }]"), w("x", "[{ name: y, image: a }]")))).toEqual({ api: "Deployment/api main by name" });
  });
  it("a container named like the service, in a workload of another name", () => {
    expect(pairs("services:\n  worker: { image: w }\n", w("jobs", "[{ name: side, image: s }, { name: worker, image: z }]"))).toEqual({ worker: "Deployment/jobs worker by container" });
  });
  it("a Service named like the compose service, selecting the pods (the DNS name others use)", () => {
    expect(pairs("services:\n  db: { image: p }\n", all(w("postgres-primary", "[{ name: pg, image: z }]", "role: primary"), svc("db", "role: primary")))).toEqual({ db: "Deployment/postgres-primary pg by service" });
  });
  it("the app.kubernetes.io/name, app or component label, on the pods or the workload", () => {
    expect(pairs("services:\n  web: { image: x }\n", w("frontend", "[{ name: c, image: z }]", "app.kubernetes.io/name: web"))).toEqual({ web: "Deployment/frontend c by label" });
    expect(pairs("services:\n  web: { image: x }\n", w("frontend", "[{ name: c, image: z }]", "app: web"))).toEqual({ web: "Deployment/frontend c by label" });
    expect(pairs("services:\n  web: { image: x }\n", w("frontend", "[{ name: c, image: z }]", "app.kubernetes.io/component: web"))).toEqual({ web: "Deployment/frontend c by label" });
    expect(pairs("services:\n  web: { image: x }\n", w("frontend", "[{ name: c, image: z }]", "tier: f", "Deployment", "app: web"))).toEqual({ web: "Deployment/frontend c by label" });
  });
  it("the same image: the whole reference first, the repository alone only without a rival", () => {
    expect(pairs("services:\n  cache: { image: redis:7 }\n", w("kv", "[{ name: c, image: 'docker.io/library/redis:7' }]"))).toEqual({ cache: "Deployment/kv c by image" });
    expect(pairs("services:\n  cache: { image: redis:7 }\n", w("kv", "[{ name: c, image: 'redis:6' }]"))).toEqual({ cache: "Deployment/kv c by image" });
    const rivals = "services:\n  reviews: { image: 'demo:2.1-reviews' }\n  pg: { image: 'demo:2.1-postgres' }\n";
    expect(pairs(rivals, all(w("a", "[{ name: a, image: 'demo:2.1-postgres' }]"), w("b", "[{ name: b, image: 'demo:9' }]")))).toEqual({ reviews: "-", pg: "Deployment/a a by image" });
  });
  it("a <prefix>-<service> workload name last", () => {
    expect(pairs("services:\n  api: { image: a }\n", w("shop-api", "[{ name: c, image: z }]", "x: y"))).toEqual({ api: "Deployment/shop-api c by suffix" });
  });
  it("nothing at all: the service has no workload", () => {
    expect(pairs("services:\n  api: { image: a }\n", w("other", "[{ name: c, image: z }]", "x: y"))).toEqual({ api: "-" });
  });
});

describe("one to one", () => {
  it("two services in one pod: each plays its own container", () => {
    expect(pairs("services:\n  app: { image: app }\n  proxy: { image: envoy }\n", w("app", "[{ name: envoy, image: envoy }, { name: main, image: app }]"))).toEqual({ app: "Deployment/app main by name", proxy: "Deployment/app envoy by image" });
  });
  it("inside a workload: the container named like the service, else the one with its image, else the one named like the workload, else the first", () => {
    expect(pairs("services:\n  api: { image: a }\n", w("api", "[{ name: side, image: a }, { name: api, image: b }]"))).toEqual({ api: "Deployment/api api by name" });
    expect(pairs("services:\n  web: { image: a }\n", w("x", "[{ name: side, image: s }, { name: x, image: z }, { name: main, image: a }]", "app: web"))).toEqual({ web: "Deployment/x main by label" });
    expect(pairs("services:\n  web: { image: a }\n", w("x", "[{ name: side, image: s }, { name: x, image: z }]", "app: web"))).toEqual({ web: "Deployment/x x by label" });
    expect(pairs("services:\n  web: { image: a }\n", w("x", "[{ name: first, image: s }, { name: second, image: z }]", "app: web"))).toEqual({ web: "Deployment/x first by label" });
  });
  it("among candidates of one strength, the one running the same image wins", () => {
    const k8s = all(w("a1", "[{ name: c, image: old }]", "app: web"), w("a2", "[{ name: c, image: 'web:1' }]", "app: web"));
    expect(pairs("services:\n  web: { image: 'web:1' }\n", k8s)).toEqual({ web: "Deployment/a2 c by label" });
  });
  it("the same image reference beats the same repository", () => {
    const k8s = all(w("a1", "[{ name: c, image: 'web:2' }]", "app: web"), w("a2", "[{ name: c, image: 'web:1' }]", "app: web"));
    expect(pairs("services:\n  web: { image: 'web:1' }\n", k8s)).toEqual({ web: "Deployment/a2 c by label" });
    const k8s2 = all(w("a1", "[{ name: c, image: other }]", "app: web"), w("a2", "[{ name: c, image: 'web:9' }]", "app: web"));
    expect(pairs("services:\n  web: { image: 'web:1' }\n", k8s2)).toEqual({ web: "Deployment/a2 c by label" });
  });
  it("a container already playing a service is not taken again", () => {
    const k8s = w("shared", "[{ name: c, image: 'x:1' }]");
    expect(pairs("services:\n  shared: { image: 'x:1' }\n  copy: { image: 'x:1' }\n", k8s)).toEqual({ shared: "Deployment/shared c by name", copy: "-" });
  });
});

describe("image references", () => {
  it.each([
    ["postgres", "postgres"],
    ["docker.io/library/postgres:16", "postgres"],
    ["index.docker.io/library/postgres", "postgres"],
    ["registry-1.docker.io/bitnami/redis:7", "bitnami/redis"],
    ["ghcr.io/acme/api:1", "ghcr.io/acme/api"],
    ["localhost:5001/api:dev", "localhost:5001/api"],
  ])("%s → repository %s", (ref, repo) => expect(normalRepo(ref)).toBe(repo));
  it("no tag is latest; a digest is kept", () => {
    expect(normalImage("redis")).toEqual({ repository: "redis", tag: "latest" });
    expect(normalImage(" redis:7 ")).toEqual({ repository: "redis", tag: "7" });
    expect(normalImage(`redis:7@sha256:${"a".repeat(64)}`)).toEqual({ repository: "redis", tag: "7", digest: `sha256:${"a".repeat(64)}` });
  });
  it("sameImage: digests decide when both have one, else tags", () => {
    const d = (c: string) => `sha256:${c.repeat(64)}`;
    expect(sameImage(`redis:7@${d("a")}`, `redis:8@${d("a")}`)).toBe(true);
    expect(sameImage(`redis:7@${d("a")}`, `redis:7@${d("b")}`)).toBe(false);
    expect(sameImage(`redis:7@${d("a")}`, "redis:7")).toBe(true);
    expect(sameImage("redis", "redis:latest")).toBe(true);
    expect(sameImage("redis:7", "valkey:7")).toBe(false);
  });
});

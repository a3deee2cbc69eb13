// compare-compose's matching, the cases the first behaviour tests left open (issue #21): which
// workload and container play a compose service, as `matchedBy` / `workload` / `container` in
// --json show it. Every comparison runs inside `it`.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareYaml, workload, yamlStream as all } from "./compare-yaml.js";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks, type CompareOptions } from "../../../src/compare/compare.js";
import { parseManifests } from "../../../src/kube/manifests.js";
import { writeFiles } from "../compose/write-files.js";

/** service → "Kind/workload container by basis", or "-" when it has no workload. */
function pairsOf(r: ReturnType<typeof compareYaml>) {
  return Object.fromEntries(r.services.filter((s) => s.matchedBy || !s.workload).map((s) => [s.service, s.workload ? `${s.workload} ${s.container} by ${s.matchedBy}` : "-"]));
}
const pairs = (compose: string, manifests: string, opts: CompareOptions = {}) => pairsOf(compareYaml(compose, manifests, opts));
/** Workloads reported without a compose service. */
const orphans = (r: ReturnType<typeof compareYaml>) => r.services.filter((s) => s.workload && !s.matchedBy).map((s) => s.workload);

const w = (name: string, containers: string, labels = `app: ${name}`) => workload(name, containers, { labels });
const svc = (name: string, selector: string) => `apiVersion: v1\nkind: Service\nmetadata: { name: ${name} }\nspec: { selector: { ${selector} }, ports: [{ port: 5432 }] }`;

describe("compare.map and names", () => {
  it("a workload mapped to another service loses its own name: the service named like it is matched on other evidence", () => {
    const k8s = w("api", "[{ name: main, image: w }, { name: side, image: a }]", "tier: x");
    expect(pairs("services:\n  web: { image: w }\n  api: { image: a }\n", k8s, { map: { web: "deployment/api" } })).toEqual({ web: "Deployment/api main by map", api: "Deployment/api side by image" });
    expect(pairs("services:\n  web: { image: w }\n  api: { image: a }\n", k8s, { map: { web: "api" } })).toEqual({ web: "Deployment/api main by map", api: "Deployment/api side by image" });
  });
});

describe("ties and one to one", () => {
  it("candidates of one strength with the same image affinity: the first in the manifests wins, the other stays unmatched", () => {
    const none = compareYaml("services:\n  web: { image: 'web:1' }\n", all(w("a1", "[{ name: c, image: other }]", "app: web"), w("a2", "[{ name: c, image: other }]", "app: web")));
    expect(pairsOf(none)).toEqual({ web: "Deployment/a1 c by label" });
    expect(orphans(none)).toEqual(["Deployment/a2"]);
    const same = compareYaml("services:\n  web: { image: 'web:1' }\n", all(w("a1", "[{ name: c, image: 'web:1' }]", "app: web"), w("a2", "[{ name: c, image: 'web:1' }]", "app: web")));
    expect(pairsOf(same)).toEqual({ web: "Deployment/a1 c by label" });
  });
  it("a built service's compose tag does not prefer a candidate (built images compare by repository): manifest order decides", () => {
    const dir = writeFiles({ "compose.yml": "services:\n  web: { build: ./web, image: 'shop/web:dev' }\n", "web/Dockerfile": "FROM scratch\n" });
    const k8s = all(w("a1", "[{ name: c, image: 'shop/web:3f9a2c' }]", "app: web"), w("a2", "[{ name: c, image: 'shop/web:dev' }]", "app: web"));
    const r = compareStacks(loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }), parseManifests(k8s, "test.yaml"), {});
    expect(pairsOf(r)).toEqual({ web: "Deployment/a1 c by label" });
  });
  it("a container named like the service but already playing another one is not shared: the service gets the pod's other container", () => {
    const r = pairs("services:\n  jobs: { image: j }\n  worker: { image: w }\n", w("jobs", "[{ name: worker, image: j }, { name: other, image: o }]"));
    expect(r).toEqual({ jobs: "Deployment/jobs worker by name", worker: "Deployment/jobs other by container" });
  });
  it("a container already playing a service does not pull its pod's sidecar in for another service with the same image", () => {
    const k8s = w("app", "[{ name: main, image: 'app:1' }, { name: side, image: 's:1' }]");
    expect(pairs("services:\n  app: { image: 'app:1' }\n  app2: { image: 'app:1' }\n", k8s)).toEqual({ app: "Deployment/app main by name", app2: "-" });
  });
  it("a Service selecting a pod whose only container is taken does not pair (no workload without a container)", () => {
    const k8s = all(w("shared", "[{ name: c, image: 'x:1' }]"), svc("copy", "app: shared"));
    const r = compareYaml("services:\n  shared: { image: 'x:1' }\n  copy: { image: 'y:1' }\n", k8s);
    expect(pairsOf(r)).toEqual({ shared: "Deployment/shared c by name", copy: "-" });
    expect(r.findings.filter((f) => f.service === "copy").map((f) => f.rule)).toEqual(["service.missing"]);
  });
  it("the repository alone does not pair when an unpaired built service may run that repository too", () => {
    const dir = writeFiles({ "compose.yml": "services:\n  p: { build: ./p, image: 'shop/p:dev' }\n  s: { image: 'shop/shared:2' }\n", "p/Dockerfile": "FROM scratch\n" });
    const r = compareStacks(loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }), parseManifests(w("x", "[{ name: c, image: 'shop/shared:1' }]", "k: v"), "test.yaml"), {
      images: [{ repository: "shop/shared", context: join(dir, "p"), dockerfile: "Dockerfile" }],
    });
    expect(pairsOf(r)).toEqual({ p: "-", s: "-" });
  });
});

describe("images", () => {
  it("a container without an image (set later by an overlay) is reported, not a crash", () => {
    const r = compareYaml("services:\n  api: { image: a/api }\n", w("api", "[{ name: main }]"));
    expect(pairsOf(r)).toEqual({ api: "Deployment/api main by name" });
    expect(r.findings.map((f) => [f.rule, f.message])).toEqual([["image.mismatch", "image: compose a/api ≠ k8s (none)"]]);
  });
  it("Docker Hub prefixes are dropped only at the start: a mirror path holding docker.io/ or library/ is another repository", () => {
    const mirror = compareYaml("services:\n  db: { image: 'harbor.corp/library/postgres:16' }\n", w("db", "[{ name: db, image: 'harbor.corp/docker.io/library/postgres:16' }]"));
    expect(mirror.findings.map((f) => f.rule)).toEqual(["image.mismatch"]);
    const nested = compareYaml("services:\n  tool: { image: 'ghcr.io/acme/tool:1' }\n", w("tool", "[{ name: tool, image: 'ghcr.io/acme/library/tool:1' }]"));
    expect(nested.findings.map((f) => f.rule)).toEqual(["image.mismatch"]);
  });
});

describe("what the twins call it (matchedBy: reference)", () => {
  // api is paired by name; orders-db has no workload of its name, label or image: api's
  // DATABASE_URL names it in compose, and the Service orders-postgresql in Kubernetes.
  const compose = (env = "DATABASE_URL: 'postgres://orders-db:5432/orders'") => `services:\n  api: { image: shop/api, environment: { ${env} } }\n  orders-db: { image: 'postgres:16' }\n`;
  const api = (env: string, extra = "") => w("api", `[{ name: api, image: shop/api, ${env} }]${extra}`);
  const pg = w("pg-primary", "[{ name: pg, image: 'bitnami/postgresql:16' }]", "role: pg");
  const decoy = w("decoy", "[{ name: d, image: busybox }]", "role: decoy");
  const pgSvc = svc("orders-postgresql", "role: pg");
  const literal = "env: [{ name: DATABASE_URL, value: 'postgres://orders-postgresql:5432/orders' }]";

  it("a literal value naming a Service: the service pairs with the workload that Service selects", () => {
    expect(pairs(compose(), all(api(literal), pg, pgSvc))).toMatchObject({ "orders-db": "Deployment/pg-primary pg by reference" });
  });
  it("the value may come from a ConfigMap (envFrom) or a Secret (secretKeyRef)", () => {
    const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: api-cfg }\ndata: { DATABASE_URL: 'postgres://orders-postgresql:5432/orders' }";
    expect(pairs(compose(), all(api("envFrom: [{ configMapRef: { name: api-cfg } }]"), cm, pg, pgSvc))).toMatchObject({ "orders-db": "Deployment/pg-primary pg by reference" });
    const secret = "apiVersion: v1\nkind: Secret\nmetadata: { name: api-sec }\nstringData: { url: 'postgres://orders-postgresql:5432/orders' }";
    expect(pairs(compose(), all(api("env: [{ name: DATABASE_URL, valueFrom: { secretKeyRef: { name: api-sec, key: url } } }]"), secret, pg, pgSvc))).toMatchObject({ "orders-db": "Deployment/pg-primary pg by reference" });
  });
  it("only the Service the value names counts, and only the workloads it selects", () => {
    const r = compareYaml(compose(), all(api(literal), decoy, svc("decoy-svc", "role: decoy"), pg, pgSvc));
    expect(pairsOf(r)).toMatchObject({ "orders-db": "Deployment/pg-primary pg by reference" });
    expect(orphans(r)).toEqual(["Deployment/decoy"]);
  });
  it("a host with no Service in the manifests pairs with nothing", () => {
    const r = compareYaml(compose(), all(api("env: [{ name: DATABASE_URL, value: 'postgres://managed-db:5432/orders' }]"), decoy, pg));
    expect(pairsOf(r)).toMatchObject({ "orders-db": "-" });
  });
  it("a variable that names another host in compose says nothing about this service", () => {
    const r = compareYaml(compose("OTHER_URL: 'http://elsewhere:80'"), all(api("env: [{ name: OTHER_URL, value: 'http://orders-postgresql:80' }]"), pg, pgSvc));
    expect(pairsOf(r)).toMatchObject({ "orders-db": "-" });
  });
  it("a multi-host value pairs when one of its hosts is the service", () => {
    const r = compareYaml(compose("DATABASE_URL: 'postgres://orders-db:5432,replica:5432/orders'"), all(api("env: [{ name: DATABASE_URL, value: 'postgres://orders-postgresql:5432,replica:5432/orders' }]"), pg, pgSvc));
    expect(pairsOf(r)).toMatchObject({ "orders-db": "Deployment/pg-primary pg by reference" });
  });
  it("a compose variable without a value, a variable the container lacks, other unmatched services: no pairing and no crash", () => {
    const c = "services:\n  api: { image: shop/api, environment: [TOKEN, 'DATABASE_URL=postgres://orders-db:5432/orders'] }\n  orders-db: { image: 'postgres:16' }\n  lonely: { image: 'nothing:1' }\n";
    expect(pairs(c, all(api("env: [{ name: TOKEN, value: t }]"), pg, pgSvc))).toEqual({ api: "Deployment/api api by name", "orders-db": "-", lonely: "-" });
    expect(pairs(c, all(api(literal), pg, pgSvc))).toEqual({ api: "Deployment/api api by name", "orders-db": "Deployment/pg-primary pg by reference", lonely: "-" });
  });
});

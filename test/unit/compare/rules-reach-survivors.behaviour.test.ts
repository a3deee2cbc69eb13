// env.unreachable-host and referencedPorts (issue #21 survivors of src/compare/rules/reach.ts):
// which values are read as host names, every Kubernetes DNS form, and what a finding carries.
import { describe, expect, it } from "vitest";
import { compareYaml, workload, yamlStream as all } from "./compare-yaml.js";
import { hostsIn, referencedPorts } from "../../../src/compare/rules/reach.js";

const deploy = (name: string, container: string, ns = "") => workload(name, `[${container}]`, { namespace: ns || undefined });
const svc = (name: string, ns = "") => `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}${ns ? `, namespace: ${ns}` : ""} }\nspec: { selector: { app: ${name} }, ports: [{ port: 80 }] }`;
const sts = (name: string, service: string, ns: string) =>
  `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n  serviceName: ${service}\n  selector: { matchLabels: { app: ${name} } }\n  template:\n    metadata: { labels: { app: ${name} } }\n    spec:\n      containers: [{ name: ${name}, image: p }]\n`;

/** The k8s-side unreachable-host messages for `api` (namespace `shop`) whose URL is `v`. */
const k8sReach = (v: string, ...objects: string[]) =>
  compareYaml("services:\n  api: { image: a }\n", all(...objects, deploy("api", `{ name: api, image: a, env: [{ name: URL, value: '${v}' }] }`, "shop")))
    .findings.filter((f) => f.rule === "env.unreachable-host")
    .map((f) => f.message);

describe("which values are read as host names", () => {
  it.each([
    ["PEERS", "node1:10", ["node1"]], // 10 is a port, not a count
    ["PEERS", "tcp:node1:7000", []], // not a clean host:port list: not guessed at
    ["PEERS", "db:5432/app", []],
    ["TOPICS", "orders:12,status:24", []], // a TOPIC variable holds name:partitions
    ["DB_HOST", "3scale", ["3scale"]], // a name starting with a digit is a name, not an IP
    ["FEATURE_SERVER_MODE", "cluster", []], // *_SERVER only at the end of the name
    ["API", "http://gone/${PATH_PREFIX}", []], // a value with ${...} is judged elsewhere
    ["API", "http://db:8o80/", []], // a malformed port does not make up a host "dbo80"
    ["API", "http://[db]x:80/", []], // nor does a malformed bracketed host
    ["API", "http://db[0]/", []],
  ])("%s=%s → %j", (name, value, want) => expect(hostsIn(name, value)).toEqual(want));

  it("compose side: a ${...} value left by compose ($${...}) and a TOPIC list raise nothing; a *_HOST naming no service does", () => {
    const compose = "services:\n  api: { image: a, environment: { A: 'http://gone/$${P}', TOPICS: 'orders:12', CACHE_HOST: 3cache } }\n";
    const r = compareYaml(compose, deploy("api", "{ name: api, image: a }"));
    expect(r.findings.filter((f) => f.rule === "env.unreachable-host").map((f) => f.message)).toEqual(['CACHE_HOST points at "3cache", which is no compose service, alias or extra_hosts entry']);
  });
});

describe("referencedPorts: the ports other services reach each host on", () => {
  it("explicit multi-digit ports, sorted ascending, and nothing from values that are no host", () => {
    const m = referencedPorts([
      { environment: { A: "db:6543", B: "http://db:8080", C: "postgres://db/app", D: "plain words", E: "http://a:b:c/", F: "http://[::1]:8080/", G: "http://web:80x/" } },
    ]);
    expect(Object.fromEntries(m)).toEqual({ db: [5432, 6543, 8080] });
  });
  it("a value with ${...} or $(...) is skipped; a literal $ is not", () => {
    const m = referencedPorts([{ environment: { A: "http://db/${P}", B: "http://cache/$(P)", C: "http://api:8080/$x" } }]);
    expect(Object.fromEntries(m)).toEqual({ api: [8080] });
  });
});

describe("env.unreachable-host: what the finding carries", () => {
  it("compose side: the variable, the host as compose value, the matched workload, the env entry's location", () => {
    const compose = "services:\n  api:\n    image: a\n    environment:\n      D: http://gone:80\n";
    const f = compareYaml(compose, deploy("api", "{ name: api, image: a }")).findings.find((x) => x.rule === "env.unreachable-host")!;
    expect(f).toMatchObject({ service: "api", variable: "D", compose: "gone", workload: "Deployment/api", composeWhere: expect.stringMatching(/compose\.yml:5:\d+$/) });
  });
});

describe("env.unreachable-host: every Kubernetes DNS form", () => {
  it("a missing Service is found in its .svc and .svc.cluster.local forms too", () => {
    for (const v of ["http://gone.shop", "http://gone.shop.svc", "http://gone.shop.svc.cluster.local"]) {
      expect(k8sReach(v, svc("db", "shop")), v).toEqual(['URL points at "' + v.slice(7) + '" in Deployment/api, but there is no Service "gone" in namespace shop']);
    }
  });
  it("a namespace known only from a Namespace object counts", () => {
    const ns = "apiVersion: v1\nkind: Namespace\nmetadata: { name: tools }";
    expect(k8sReach("http://gone.tools", ns)).toEqual(['URL points at "gone.tools" in Deployment/api, but there is no Service "gone" in namespace tools']);
  });
  it("a StatefulSet pod name in every DNS form; the set's own namespace counts", () => {
    const base = [svc("db", "data"), sts("db", "db", "data")];
    for (const v of ["http://db-0.db.data", "http://db-0.db.data.svc", "http://db-0.db.data.svc.cluster.local", "http://db-12.db.data"]) expect(k8sReach(v, ...base), v).toEqual([]);
    for (const tail of ["", ".svc", ".svc.cluster.local"]) {
      expect(k8sReach(`http://gone-0.db.data${tail}`, ...base), tail).toEqual([`URL points at "gone-0.db.data${tail}" in Deployment/api, but no StatefulSet "gone" runs behind Service "db" in namespace data`]);
    }
    expect(k8sReach("http://gone-10.db.data", ...base)).toEqual(['URL points at "gone-10.db.data" in Deployment/api, but no StatefulSet "gone" runs behind Service "db" in namespace data']);
    expect(k8sReach("http://r-2d2-10.db.data", ...base)).toEqual(['URL points at "r-2d2-10.db.data" in Deployment/api, but no StatefulSet "r-2d2" runs behind Service "db" in namespace data']);
  });
  it("a StatefulSet outside the namespace most objects use is looked up in its own namespace", () => {
    expect(k8sReach("http://db-0.db.data", svc("x", "shop"), svc("y", "shop"), svc("db", "data"), sts("db", "db", "data"))).toEqual([]);
  });
  it("a pod name must sit behind the set's own Service, in the set's namespace", () => {
    // Service "other" exists, but StatefulSet db is governed by Service "db".
    expect(k8sReach("http://db-0.other.data", svc("db", "data"), svc("other", "data"), sts("db", "db", "data"))).toEqual([
      'URL points at "db-0.other.data" in Deployment/api, but no StatefulSet "db" runs behind Service "other" in namespace data',
    ]);
    // Service db exists in both namespaces, but the set runs in "a" only.
    expect(k8sReach("http://db-0.db.b", svc("db", "a"), svc("db", "b"), sts("db", "db", "a"))).toEqual(['URL points at "db-0.db.b" in Deployment/api, but no StatefulSet "db" runs behind Service "db" in namespace b']);
  });
  it("names outside the cluster are not judged, even when they look like pod names", () => {
    const base = [svc("db", "data"), sts("db", "db", "data")];
    for (const v of ["http://web-1.example.com", "http://api.example.com", "http://node-1.mesh.data.example", "http://web-1a.db.data"]) expect(k8sReach(v, ...base), v).toEqual([]);
  });
});

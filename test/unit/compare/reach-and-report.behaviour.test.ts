// compare-compose: env.unreachable-host (docs/compare-compose.md, Rules and "DNS names"), and
// what every finding carries (where on both sides, ignored or not, the summary and exit).
import { describe, expect, it } from "vitest";
import { compareYaml, workload, yamlStream as all } from "./compare-yaml.js";
import type { CompareOptions } from "../../../src/compare/compare.js";
import { hostsIn, referencedPorts } from "../../../src/compare/rules/reach.js";

const reach = (compose: string, manifests: string) =>
  compareYaml(compose, manifests)
    .findings.filter((f) => f.rule === "env.unreachable-host")
    .map((f) => `${f.service}: ${f.message}`);
const deploy = (name: string, container: string, ns = "") => workload(name, `
        - ${container}`, { namespace: ns || undefined });
const svc = (name: string, ns = "") => `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}${ns ? `, namespace: ${ns}` : ""} }\nspec: { selector: { app: ${name} }, ports: [{ port: 80 }] }`;

describe("hostsIn: which host names a value points at", () => {
  it.each([
    ["URL", "postgres://u:p@db:5432/app", ["db"]],
    ["URL", "mongodb://a:27017,b:27017/db?replicaSet=rs", ["a", "b"]],
    ["BROKERS", "PLAINTEXT://kafka:9092,CONTROLLER://kafka-ctl:9093", ["kafka", "kafka-ctl"]],
    ["PEERS", "node1:7000, node2:7001", ["node1", "node2"]],
    ["TOPICS", "orders:3,status:12", []],
    ["PAIRS", "orders:1,status:2", []],
    ["DB_HOST", "Postgres", ["postgres"]],
    ["SMTP_SERVER", "mail", ["mail"]],
    ["BIND_ADDR", "0.0.0.0", []],
    ["API", "http://localhost:8080", []],
    ["API", "http://10.0.0.1:80", []],
    ["URL", "http://$(HOST):80", []],
    ["URL", "http://${HOST}:80", []],
    ["NAME", "db", []],
    ["URL", "http://[::1]:80/", []],
    ["URL", "HTTP://API:80", ["api"]],
  ])("%s=%s → %j", (name, value, want) => expect(hostsIn(name, value)).toEqual(want));
});

describe("referencedPorts: the ports services reach each other on", () => {
  it("explicit ports, default ports by scheme, host:port lists; sorted, each once", () => {
    const m = referencedPorts([
      { environment: { A: "postgres://db/app", B: "db:6543", C: "redis://Cache", D: "https://api", E: null, F: "http://x:${P}" } },
      { environment: { G: "db:5432", H: "svc+https://weird/", I: "ftp://files/" } },
    ]);
    expect(Object.fromEntries(m)).toEqual({ db: [5432, 6543], cache: [6379], api: [443] });
  });
});

describe("env.unreachable-host", () => {
  it("a compose host that is no service, alias or extra_hosts entry", () => {
    const compose = "services:\n  db: { image: d, container_name: pg-main }\n  api: { image: a, extra_hosts: ['metrics:10.0.0.2'], environment: { A: 'http://db', B: 'http://pg-main', C: 'http://metrics', D: 'http://gone:80', E: 'http://api.example.com' } }\n";
    const k8s = all(deploy("db", "{ name: db, image: d }"), deploy("api", "{ name: api, image: a }"));
    expect(reach(compose, k8s)).toEqual(['api: D points at "gone", which is no compose service, alias or extra_hosts entry']);
  });
  it("a Kubernetes host: every DNS form of a Service, in its namespace; another namespace must hold it", () => {
    const env = (v: string) => deploy("api", `{ name: api, image: a, env: [{ name: URL, value: '${v}' }] }`, "shop");
    const base = [svc("db", "shop"), svc("cache", "infra"), deploy("db", "{ name: db, image: d }", "shop")];
    const compose = "services:\n  api: { image: a }\n  db: { image: d }\n";
    for (const v of ["http://db", "http://db.shop", "http://db.shop.svc", "http://db.shop.svc.cluster.local:80", "http://cache.infra", "https://api.example.com"]) {
      expect(reach(compose, all(...base, env(v))), v).toEqual([]);
    }
    expect(reach(compose, all(...base, env("http://cache")))).toEqual(['api: URL points at "cache" in Deployment/api, but there is no Service "cache" in namespace shop']);
    expect(reach(compose, all(...base, env("http://db.infra")))).toEqual(['api: URL points at "db.infra" in Deployment/api, but there is no Service "db" in namespace infra']);
  });
  it("a StatefulSet pod behind its headless Service resolves; a wrong set name does not", () => {
    const sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: pg, namespace: shop }\nspec:\n  serviceName: pg\n  selector: { matchLabels: { app: pg } }\n  template:\n    metadata: { labels: { app: pg } }\n    spec:\n      containers: [{ name: pg, image: p }]\n";
    const compose = "services:\n  api: { image: a }\n  pg: { image: p }\n";
    const env = (v: string) => deploy("api", `{ name: api, image: a, env: [{ name: URL, value: '${v}' }] }`, "shop");
    expect(reach(compose, all(svc("pg", "shop"), sts, env("postgres://pg-0.pg.shop.svc.cluster.local:5432/x")))).toEqual([]);
    expect(reach(compose, all(svc("pg", "shop"), sts, env("postgres://pg-0.pg:5432/x")))).toEqual([]);
    expect(reach(compose, all(svc("pg", "shop"), sts, env("postgres://db-0.pg.shop:5432/x")))).toEqual(['api: URL points at "db-0.pg.shop" in Deployment/api, but no StatefulSet "db" runs behind Service "pg" in namespace shop']);
  });
  it("values that are not expanded, or only known at run time, are not judged", () => {
    const compose = "services:\n  api: { image: a }\n";
    const k8s = deploy("api", "{ name: api, image: a, env: [{ name: N, valueFrom: { fieldRef: { fieldPath: spec.nodeName } } }, { name: URL, value: 'http://$(N):80' }, { name: X, value: 'http://$(LATER)' }] }");
    expect(reach(compose, k8s)).toEqual([]);
  });
});

describe("what every finding carries", () => {
  const compose = "services:\n  api:\n    image: a:1\n    environment:\n      MODE: fast\n";
  const k8s = "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  selector: { matchLabels: { app: api } }\n  template:\n    metadata: { labels: { app: api } }\n    spec:\n      containers:\n        - name: api\n          image: a:2\n          env:\n            - { name: MODE, value: slow }\n";
  it("the compose entry and the container field, as file:line:col", () => {
    const r = compareYaml(compose, k8s);
    const byRule = Object.fromEntries(r.findings.map((f) => [f.rule, f]));
    expect(byRule["image.mismatch"]).toMatchObject({ composeWhere: expect.stringMatching(/compose\.yml:3:\d+$/), where: expect.stringMatching(/^test\.yaml:11:\d+$/) });
    expect(byRule["env.value"]).toMatchObject({ variable: "MODE", composeWhere: expect.stringMatching(/compose\.yml:5:\d+$/), where: expect.stringMatching(/^test\.yaml:13:\d+$/) });
  });
  it("ignored findings stay in the list, flagged, by rule, family, env.NAME or per service", () => {
    const ids = (opts: CompareOptions) => compareYaml(compose, k8s, opts).findings.map((f) => `${f.rule}${f.ignored ? " (ignored)" : ""}`);
    expect(ids({})).toEqual(["image.mismatch", "env.value"]);
    expect(ids({ ignore: ["image.mismatch"] })).toEqual(["image.mismatch (ignored)", "env.value"]);
    expect(ids({ ignore: ["env"] })).toEqual(["image.mismatch", "env.value (ignored)"]);
    expect(ids({ ignore: ["env.MODE"] })).toEqual(["image.mismatch", "env.value (ignored)"]);
    expect(ids({ ignore: ["env.OTHER"] })).toEqual(["image.mismatch", "env.value"]);
    expect(ids({ ignoreFor: { api: ["image"] } })).toEqual(["image.mismatch (ignored)", "env.value"]);
    expect(ids({ ignoreFor: { web: ["image"] } })).toEqual(["image.mismatch", "env.value"]);
  });
  it("the summary counts live findings only; ignoring every error and warning makes the pair equivalent", () => {
    const r = compareYaml(compose, k8s);
    expect(r.summary).toEqual({ services: 1, workloads: 1, errors: 2, warnings: 0, infos: 0, ignored: 0 });
    expect(r.equivalent).toBe(false);
    const quiet = compareYaml(compose, k8s, { ignore: ["image", "env"] });
    expect(quiet.summary).toMatchObject({ errors: 0, ignored: 2 });
    expect(quiet.equivalent).toBe(true);
  });
  it("notes alone keep the pair equivalent; a warning does not", () => {
    expect(compareYaml("services:\n  api: { image: a }\n", deploy("api", "{ name: api, image: a, env: [{ name: X, value: '1' }] }")).equivalent).toBe(true);
    expect(compareYaml("services:\n  api: { image: a }\n", all(deploy("api", "{ name: api, image: a }"), deploy("extra", "{ name: x, image: x }"))).equivalent).toBe(false);
  });
  it("the service report names the workload, the container and how they were matched", () => {
    const r = compareYaml("services:\n  web: { image: shop/web:1 }\n", deploy("frontend", "{ name: nginx, image: shop/web:1 }"));
    expect(r.services).toEqual([expect.objectContaining({ service: "web", workload: "Deployment/frontend", container: "nginx", matchedBy: "image" })]);
  });
  it("a workload without a compose service gets its own entry", () => {
    const r = compareYaml("services:\n  api: { image: a }\n", all(deploy("api", "{ name: api, image: a }"), deploy("extra", "{ name: x, image: x }")));
    expect(r.services.map((s) => [s.service, s.workload, s.findings.map((f) => f.rule)])).toEqual([
      ["api", "Deployment/api", []],
      ["extra", "Deployment/extra", ["workload.missing"]],
    ]);
  });
  it("the namespace is the one most objects use, or the one given", () => {
    expect(compareYaml("services: {}\n", all(deploy("a", "{ name: a, image: a }", "x"), deploy("b", "{ name: b, image: b }", "y"), svc("b", "y"))).namespace).toBe("y");
    expect(compareYaml("services: {}\n", deploy("a", "{ name: a, image: a }", "x"), { namespace: "z" }).namespace).toBe("z");
    expect(compareYaml("services: {}\n", deploy("a", "{ name: a, image: a }")).namespace).toBe("default");
  });
  it("devenv.ts secrets: literal values are compared, generated ones count as present", () => {
    const k8s2 = deploy("api", "{ name: api, image: a, envFrom: [{ secretRef: { name: app } }] }");
    const c2 = "services:\n  api: { image: a, environment: { DB_USER: app, JWT_SECRET: whatever-long } }\n";
    expect(compareYaml(c2, k8s2, { devSecrets: { app: { DB_USER: "app", JWT_SECRET: null } } }).findings).toEqual([]);
    expect(compareYaml(c2, k8s2, { devSecrets: { app: { DB_USER: "other", JWT_SECRET: null } } }).findings.map((f) => f.message)).toEqual(["DB_USER: compose *** ≠ k8s *** (secret values differ) from Secret/app"]);
  });
});

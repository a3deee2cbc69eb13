// compare-compose rules env.* (docs/compare-compose.md, Rules; "How the inputs are read" for
// kubelet's order): what each container really gets, compared with compose, secrets as ***.
import { describe, expect, it } from "vitest";
import { compareYaml, deployment, yamlStream as all } from "./compare-yaml.js";
import type { CompareOptions } from "../../../src/compare/compare.js";
import { expand, resolveContainerEnv, dataOf, GENERATED } from "../../../src/compare/resolve-env.js";
import type { KubeObject } from "../../../src/model/index.js";

const env = (compose: string, manifests: string, opts: CompareOptions = {}) =>
  compareYaml(compose, manifests, opts)
    .findings.filter((f) => f.rule.startsWith("env.") && f.rule !== "env.unreachable-host")
    .map((f) => `${f.severity} ${f.rule}: ${f.message}`);
const deploy = (container: string) => deployment("api", container);
const cm = (name: string, data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: ${data}`;
const secret = (name: string, data: string, annotations = "") => `apiVersion: v1\nkind: Secret\nmetadata: { name: ${name}${annotations ? `, annotations: ${annotations}` : ""} }\nstringData: ${data}`;

describe("env.missing, env.value, env.extra", () => {
  it("a variable set in compose but not in the container, with its value", () => {
    expect(env("services:\n  api: { image: a, environment: { MODE: fast } }\n", deploy("{ name: api, image: a }"))).toEqual(['error env.missing: MODE is set in compose ("fast") but not in Deployment/api']);
  });
  it("a secret-looking variable missing is shown as ***", () => {
    const r = compareYaml("services:\n  api: { image: a, environment: { DB_PASSWORD: hunter2hunter2 } }\n", deploy("{ name: api, image: a }"));
    expect(r.findings.map((f) => f.message)).toEqual(["DB_PASSWORD is set in compose (***) but not in Deployment/api"]);
    expect(r.findings[0]).toMatchObject({ variable: "DB_PASSWORD", compose: "***" });
  });
  it("different values name both and where the Kubernetes one comes from", () => {
    const k8s = all(cm("cfg", "{ MODE: slow }"), deploy("{ name: api, image: a, env: [{ name: MODE, valueFrom: { configMapKeyRef: { name: cfg, key: MODE } } }] }"));
    expect(env("services:\n  api: { image: a, environment: { MODE: fast } }\n", k8s)).toEqual(['error env.value: MODE: compose "fast" ≠ k8s "slow" from ConfigMap/cfg.MODE']);
  });
  it("a value from a Secret under a harmless name is never printed; the message says the secret values differ", () => {
    const k8s = all(secret("s", "{ MODE: k8s-side-value }"), deploy("{ name: api, image: a, envFrom: [{ secretRef: { name: s } }] }"));
    const r = compareYaml("services:\n  api: { image: a, environment: { MODE: compose-side-value } }\n", k8s);
    expect(r.findings.filter((f) => f.rule === "env.value").map((f) => f.message)).toEqual(["MODE: compose *** ≠ k8s *** (secret values differ) from Secret/s"]);
    expect(JSON.stringify(r)).not.toMatch(/k8s-side-value|compose-side-value/);
  });
  it("equal values are counted in one passed line", () => {
    const k8s = deploy("{ name: api, image: a, env: [{ name: A, value: '1' }, { name: B, value: '2' }] }");
    expect(compareYaml("services:\n  api: { image: a, environment: { A: '1', B: '2' } }\n", k8s).services[0]!.passed).toContain("env: 2 variables equal");
    expect(compareYaml("services:\n  api: { image: a, environment: { A: '1' } }\n", deploy("{ name: api, image: a, env: [{ name: A, value: '1' }] }")).services[0]!.passed).toContain("env: 1 variable equal");
  });
  it("host names in values compare by what they resolve to", () => {
    const compose = "services:\n  db: { image: d }\n  api: { image: a, environment: { URL: 'postgresql://db:5432/app' } }\n";
    const k8s = all(
      "apiVersion: v1\nkind: Service\nmetadata: { name: db, namespace: shop }\nspec: { selector: { app: db }, ports: [{ port: 5432 }] }",
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: db, namespace: shop }\nspec:\n  selector: { matchLabels: { app: db } }\n  template:\n    metadata: { labels: { app: db } }\n    spec:\n      containers: [{ name: db, image: d }]\n",
      deploy("{ name: api, image: a, env: [{ name: URL, value: 'postgresql://db.shop.svc.cluster.local:5432/app' }] }").replace("metadata: { name: api }", "metadata: { name: api, namespace: shop }"),
    );
    expect(env(compose, k8s)).toEqual([]);
  });
  it("variables only Kubernetes sets are one note; runtime values (fieldRef, resourceFieldRef) are not listed", () => {
    const k8s = deploy("{ name: api, image: a, env: [{ name: X, value: '1' }, { name: Y, value: '2' }, { name: POD, valueFrom: { fieldRef: { fieldPath: metadata.name } } }, { name: MEM, valueFrom: { resourceFieldRef: { resource: limits.memory } } }] }");
    expect(env("services:\n  api: { image: a }\n", k8s)).toEqual(["info env.extra: only in Deployment/api: X, Y"]);
  });
  it("a compose variable without a value (passed through from the shell) is not compared", () => {
    expect(env("services:\n  api: { image: a, environment: [BARE] }\n", deploy("{ name: api, image: a, env: [{ name: BARE, value: x }] }"))).toEqual(["info env.extra: only in Deployment/api: BARE"]);
  });
  it("a runtime value set on both sides is not compared", () => {
    expect(env("services:\n  api: { image: a, environment: { POD: x } }\n", deploy("{ name: api, image: a, env: [{ name: POD, valueFrom: { fieldRef: { fieldPath: metadata.name } } }] }"))).toEqual([]);
  });
});

describe("env.unresolved, env.unexpanded-ref, env.secret-in-plain", () => {
  it("a value from a ConfigMap or Secret that is nowhere", () => {
    const k8s = deploy("{ name: api, image: a, env: [{ name: A, valueFrom: { configMapKeyRef: { name: gone, key: a } } }, { name: B, valueFrom: { secretKeyRef: { name: gone2, key: b } } }] }");
    expect(env("services:\n  api: { image: a, environment: { A: '1', B: '2' } }\n", k8s)).toEqual([
      "warning env.unresolved: A comes from ConfigMap/gone.a, which is not in the manifests",
      "warning env.unresolved: B comes from Secret/gone2.b, which is not in the manifests",
    ]);
  });
  it("$(VAR) before VAR is defined stays literal; in ConfigMap data it never expands", () => {
    const k8s = all(cm("cfg", "{ URL: 'http://$(HOST)/x' }"), deploy("{ name: api, image: a, envFrom: [{ configMapRef: { name: cfg } }], env: [{ name: GREETING, value: 'hi $(WHO)' }, { name: WHO, value: u }] }"));
    expect(env("services:\n  api: { image: a, environment: { URL: 'http://h/x', GREETING: 'hi u', WHO: u } }\n", k8s)).toEqual([
      "error env.unexpanded-ref: URL contains $(HOST): Kubernetes leaves it literal (ConfigMap/cfg values are never expanded)",
      "error env.unexpanded-ref: GREETING contains $(WHO): Kubernetes leaves it literal (not declared earlier in the container's env)",
    ]);
  });
  it("a password written in a ConfigMap or as a plain value is a risk; pulled in by $(VAR) from a Secret it is not", () => {
    const k8s = all(
      cm("cfg", "{ API_TOKEN: abcdefabcdef }"),
      secret("s", "{ PW: hunter2hunter2 }"),
      deploy("{ name: api, image: a, envFrom: [{ configMapRef: { name: cfg } }], env: [{ name: DB_PASSWORD, value: hunter2hunter2 }, { name: PGPASS, valueFrom: { secretKeyRef: { name: s, key: PW } } }, { name: DATABASE_URL, value: 'postgresql://u:$(PGPASS)@db/app' }] }"),
    );
    const compose = "services:\n  api: { image: a, environment: { API_TOKEN: abcdefabcdef, DB_PASSWORD: hunter2hunter2, PGPASS: hunter2hunter2, DATABASE_URL: 'postgresql://u:hunter2hunter2@db/app' } }\n";
    expect(env(compose, k8s)).toEqual([
      "warning env.secret-in-plain: API_TOKEN looks secret but is in ConfigMap/cfg",
      "warning env.secret-in-plain: DB_PASSWORD looks secret but is a plain value in the manifest",
    ]);
  });
  it("a value devenv generates at up counts as present and is not compared", () => {
    const k8s = all(secret("s", "{ JWT_SECRET: placeholder }", `{ ${GENERATED}: JWT_SECRET }`), deploy("{ name: api, image: a, env: [{ name: JWT_SECRET, valueFrom: { secretKeyRef: { name: s, key: JWT_SECRET } } }] }"));
    expect(env("services:\n  api: { image: a, environment: { JWT_SECRET: other } }\n", k8s)).toEqual([]);
  });
});

describe("resolveContainerEnv, kubelet's order", () => {
  const objects = (...o: KubeObject[]) => new Map(o.map((x) => [x.metadata.name, x]));
  it("a later envFrom wins over an earlier one, env over envFrom; prefixes apply to every key", () => {
    const a: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { K: "from-a", ONLY_A: "1" } };
    const b: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" }, data: { K: "from-b" } };
    const e = resolveContainerEnv({ name: "c", envFrom: [{ configMapRef: { name: "a" } }, { configMapRef: { name: "b" } }, { prefix: "P_", configMapRef: { name: "a" } }, {}], env: [{ name: "ONLY_A", value: "env" }] }, objects(a, b), new Map());
    expect(Object.fromEntries([...e].map(([k, v]) => [k, v.value]))).toEqual({ K: "from-b", ONLY_A: "env", P_K: "from-a", P_ONLY_A: "1" });
  });
  it("envFrom of a missing object contributes nothing", () => {
    expect(resolveContainerEnv({ name: "c", envFrom: [{ secretRef: { name: "gone" } }] }, new Map(), new Map()).size).toBe(0);
  });
  it("generated keys of an envFrom Secret are present without a value", () => {
    const s: KubeObject = { apiVersion: "v1", kind: "Secret", metadata: { name: "s", annotations: { [GENERATED]: "A,B" } } };
    const e = resolveContainerEnv({ name: "c", envFrom: [{ prefix: "X_", secretRef: { name: "s" } }] }, new Map(), objects(s));
    expect([...e.keys()]).toEqual(["X_A", "X_B"]);
    expect(e.get("X_A")).toEqual({ source: "secret", from: "Secret/s", unexpanded: [], generated: true });
  });
  it("a $(VAR) of a runtime variable makes the value runtime too; an empty value is empty", () => {
    const e = resolveContainerEnv({ name: "c", env: [{ name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }, { name: "ADDR", value: "$(NODE):80" }, { name: "E" }] }, new Map(), new Map());
    expect(e.get("ADDR")).toMatchObject({ value: undefined, source: "literal", unexpanded: [], raw: "$(NODE):80" });
    expect(e.get("NODE")).toMatchObject({ source: "field", from: "spec.nodeName" });
    expect(e.get("E")).toMatchObject({ value: "", raw: "" });
  });
  it("a secretKeyRef $(X) in the Secret's data is left literal and reported", () => {
    const s: KubeObject = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { K: Buffer.from("a-$(B)-$$(C)").toString("base64") } };
    expect(resolveContainerEnv({ name: "c", env: [{ name: "K", valueFrom: { secretKeyRef: { name: "s", key: "K" } } }] }, new Map(), objects(s)).get("K")).toMatchObject({ value: "a-$(B)-$$(C)", unexpanded: ["B"] });
  });
  it("dataOf decodes Secret data, takes stringData over it, and leaves ConfigMap data as text", () => {
    expect(dataOf({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { a: Buffer.from("x").toString("base64"), b: "eQ==" }, stringData: { b: "z" } } as any)).toEqual({ a: "x", b: "z" });
    expect(dataOf({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "eA==", n: 5 } } as any)).toEqual({ a: "eA==", n: "5" });
  });
  it("expand: an unclosed $( and a trailing $ stay as written", () => {
    expect(expand("a$(B", () => "x")).toEqual({ value: "a$(B", unexpanded: [] });
    expect(expand("cost 5$", () => "x")).toEqual({ value: "cost 5$", unexpanded: [] });
    expect(expand("$(A)$(A)", (n) => (n === "A" ? "1" : undefined))).toEqual({ value: "11", unexpanded: [] });
    expect(expand("$(X)-$(Y)", () => undefined)).toEqual({ value: "$(X)-$(Y)", unexpanded: ["X", "Y"] });
  });
});

describe("a weak secret equal to a name of the stack", () => {
  it("is *** as the variable's value, but names and image names that equal it stay readable", () => {
    const compose = "services:\n  minio:\n    image: minio/minio:1\n    environment: { MINIO_ACCESS_KEY: minio, MINIO_SECRET_KEY: minio-s3cr3t-9f }\n";
    const k8s = all(deployment("minio", "{ name: minio, image: minio/minio:2, env: [{ name: MINIO_ACCESS_KEY, value: other }, { name: MINIO_SECRET_KEY, value: minio-s3cr3t-9f }] }"));
    const r = compareYaml(compose, k8s);
    const text = JSON.stringify(r);
    expect(r.services[0]).toMatchObject({ service: "minio", workload: "Deployment/minio", container: "minio" });
    expect(r.findings.map((f) => f.message)).toEqual(expect.arrayContaining(["image tag: compose minio/minio:1 ≠ k8s minio/minio:2", "MINIO_ACCESS_KEY: compose *** ≠ k8s *** (secret values differ)"]));
    expect(text).not.toContain("minio-s3cr3t-9f");
    expect(text).not.toContain('"other"');
  });
});

describe("env.extra and the command line", () => {
  it("a variable only the argv reads as $(NAME) (convert's moved secret argument) is not an extra setting", () => {
    const compose = "services:\n  cache:\n    image: redis:7\n    command: [redis-server, --requirepass, s3cr3t-value-42]\n";
    const k8s = all(deployment("cache", "{ name: cache, image: redis:7, args: [redis-server, --requirepass, $(CACHE_SECRET_1)], env: [{ name: CACHE_SECRET_1, value: s3cr3t-value-42 }, { name: OTHER, value: x } ] }"));
    expect(compareYaml(compose, k8s).findings.map((f) => `${f.rule} ${f.message}`)).toEqual(["env.secret-in-plain CACHE_SECRET_1 looks secret but is a plain value in the manifest", "env.extra only in Deployment/cache: OTHER"]);
  });
});

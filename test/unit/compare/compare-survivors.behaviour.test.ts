// compare-compose as a whole (src/compare/compare.ts), the parts a user reads in the report or in
// --json: which workload a built service pairs with, one entry per name in `services`, secret
// values never printed (and other values left readable), devenv.ts secrets beside the shipped
// ones, and where each finding points (`where` / `composeWhere`). Everything is compared inside
// `it` (per-test mutation coverage sees nothing computed at collection time).
import { describe, expect, it } from "vitest";
import { compareYaml, deployment, yamlStream } from "./compare-yaml.js";
import type { CompareOptions } from "../../../src/compare/compare.js";

const lineOf = (text: string, needle: string) => {
  const n = text.split("\n").findIndex((l) => l.includes(needle)) + 1;
  if (!n) throw new Error(`test text has no ${needle}`);
  return n;
};
/** The manifest line a finding's `where` names (compareYaml reads the stream as test.yaml). */
const k8sLine = (f: { where?: string } | undefined) => Number(/^test\.yaml:(\d+)/.exec(f?.where ?? "")?.[1]);
const find = (r: ReturnType<typeof compareYaml>, rule: string, variable?: string) => r.findings.find((f) => f.rule === rule && (variable === undefined || f.variable === variable));

describe("pairing a service built from a devenv.ts image", () => {
  const compose = "services:\n  web:\n    build: /srv/shop/web\n";
  const k8s = deployment("frontend", "{ name: main, image: registry.local/shop-web:dev }");
  const opts = (context: string): CompareOptions => ({ images: [{ repository: "registry.local/shop-web", context, dockerfile: "Dockerfile" }] });
  it("pairs with the workload running the image built from the same context, whatever the workload is called", () => {
    const r = compareYaml(compose, k8s, opts("/srv/shop/web"));
    expect(r.services.find((s) => s.service === "web")).toMatchObject({ workload: "Deployment/frontend", container: "main", matchedBy: "image" });
    expect(r.findings.map((f) => f.rule)).not.toContain("service.missing");
  });
  it("a context written with trailing slashes is the same directory", () => {
    for (const context of ["/srv/shop/web/", "/srv/shop/web//"]) {
      expect(compareYaml(compose, k8s, opts(context)).services.find((s) => s.service === "web")?.workload, context).toBe("Deployment/frontend");
    }
  });
});

describe("workloads no compose service plays", () => {
  const api = deployment("api", "{ name: api, image: a }");
  const worker = deployment("worker", "{ name: worker, image: w }");
  const cron = `apiVersion: batch/v1
kind: CronJob
metadata: { name: worker }
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - { name: worker, image: w }
`;
  const k8s = yamlStream(api, worker, cron);
  it("are listed once per name in services[], with every finding about them and no passed checks", () => {
    const r = compareYaml("services:\n  api: { image: a }\n", k8s);
    const entries = r.services.filter((s) => s.service === "worker");
    expect(entries).toHaveLength(1);
    expect(entries[0]!.passed).toEqual([]);
    expect(entries[0]!.findings.map((f) => f.message)).toEqual(["Deployment/worker has no compose service", "CronJob/worker has no compose service"]);
  });
  it("each workload.missing points at its own object in the manifests", () => {
    const r = compareYaml("services:\n  api: { image: a }\n", k8s);
    const at = (workload: string) => k8sLine(r.findings.find((f) => f.rule === "workload.missing" && f.workload === workload));
    expect(at("Deployment/worker")).toBe(lineOf(k8s, "metadata: { name: worker }") - 2);
    expect(at("CronJob/worker")).toBe(lineOf(k8s, "kind: CronJob") - 1);
  });
});

describe("secret values are never printed, other values stay readable", () => {
  const secret = (data: string) => `apiVersion: v1\nkind: Secret\nmetadata: { name: db }\nstringData: { ${data} }\n`;
  it("a password from a Secret copied in plain into another variable of the manifest is masked", () => {
    const k8s = yamlStream(secret("POSTGRES_PASSWORD: hunter2-long"), deployment("seed", '{ name: seed, image: s, env: [{ name: SEED_ARGS, value: "load hunter2-long" }] }'));
    const f = find(compareYaml("services:\n  seed:\n    image: s\n    environment: { SEED_ARGS: load other }\n", k8s), "env.value", "SEED_ARGS")!;
    expect(f.message).not.toContain("hunter2-long");
    expect(f.k8s).toBe('"load ***"');
  });
  it("a user name kept in a Secret is not masked where it shows elsewhere", () => {
    const k8s = yamlStream(secret("POSTGRES_USER: shopadmin"), deployment("api", '{ name: api, image: a, env: [{ name: DATABASE_URL, value: "postgres://shopadmin@db:5432/shop" }] }'));
    const f = find(compareYaml("services:\n  api:\n    image: a\n    environment: { DATABASE_URL: \"postgres://shopadmin@db:5432/orders\" }\n", k8s), "env.value", "DATABASE_URL")!;
    expect(f.k8s).toBe('"postgres://shopadmin@db:5432/shop"');
    expect(f.compose).toBe('"postgres://shopadmin@db:5432/orders"');
  });
  it("a compose variable named like a secret is masked inside other compose values too", () => {
    const compose = "services:\n  api:\n    image: a\n    environment:\n      API_TOKEN: tok-4f9a1c77\n      HOOK_URL: https://hooks.local/tok-4f9a1c77\n";
    const k8s = deployment("api", '{ name: api, image: a, env: [{ name: HOOK_URL, value: "https://hooks.local/other" }] }');
    const f = find(compareYaml(compose, k8s), "env.value", "HOOK_URL")!;
    expect(f.message).not.toContain("tok-4f9a1c77");
    expect(f.compose).toBe('"https://hooks.local/***"');
  });
  it("an ordinary compose value is shown as written", () => {
    const k8s = deployment("api", '{ name: api, image: a, env: [{ name: LOG_LEVEL, value: quiet }] }');
    const f = find(compareYaml("services:\n  api:\n    image: a\n    environment: { LOG_LEVEL: verbose }\n", k8s), "env.value", "LOG_LEVEL")!;
    expect(f.message).toBe('LOG_LEVEL: compose "verbose" ≠ k8s "quiet"');
  });
});

describe("devenv.ts secrets beside the Secrets the manifests ship", () => {
  const app = (env: string) => deployment("api", `{ name: api, image: a, env: [${env}] }`);
  const ref = (name: string, secret: string, key: string) => `{ name: ${name}, valueFrom: { secretKeyRef: { name: ${secret}, key: ${key} } } }`;
  it("a Secret the manifests ship is compared, not the devenv.ts secret of the same name", () => {
    const k8s = yamlStream("apiVersion: v1\nkind: Secret\nmetadata: { name: db-creds }\nstringData: { password: s3cret-shipped }\n", app(ref("DB_PASSWORD", "db-creds", "password")));
    const r = compareYaml("services:\n  api:\n    image: a\n    environment: { DB_PASSWORD: s3cret-shipped }\n", k8s, { devSecrets: { "db-creds": { password: "dev-only-value" } } });
    expect(r.findings.filter((f) => f.rule.startsWith("env."))).toEqual([]);
    expect(r.services[0]!.passed).toContain("env: 1 variable equal");
  });
  it("several generated keys of one devenv.ts secret are all present (their values unknown, not compared)", () => {
    const k8s = app(`${ref("PASSWORD", "app-secrets", "password")}, ${ref("SESSION_TOKEN", "app-secrets", "token")}`);
    const r = compareYaml("services:\n  api:\n    image: a\n    environment: { PASSWORD: pw-from-compose, SESSION_TOKEN: tok-from-compose }\n", k8s, { devSecrets: { "app-secrets": { password: null, token: null } } });
    expect(r.findings.filter((f) => f.rule.startsWith("env."))).toEqual([]);
  });
});

describe("where a finding points", () => {
  it("in a CronJob: the field of the container in the job template", () => {
    const k8s = `apiVersion: batch/v1
kind: CronJob
metadata: { name: report }
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: report
              image: rep:2
`;
    expect(k8sLine(find(compareYaml("services:\n  report: { image: other-rep:1, restart: 'no' }\n", k8s), "image.mismatch"))).toBe(lineOf(k8s, "image: rep:2"));
  });
  const probeCompose = "services:\n  api:\n    image: a\n    healthcheck:\n      test: curl -f http://localhost:80/health\n";
  it("a health finding on a container with only a livenessProbe points at the livenessProbe", () => {
    const k8s = deployment("api", "name: api\n          image: a\n          livenessProbe:\n            httpGet: { path: /alive, port: 80 }");
    expect(k8sLine(find(compareYaml(probeCompose, k8s), "health.mismatch"))).toBeOneOf([lineOf(k8s, "livenessProbe:"), lineOf(k8s, "livenessProbe:") + 1]);
  });
  it("a missing probe points at the name of the container that lacks it", () => {
    const k8s = deployment("api", "name: api\n          image: a");
    const line = lineOf(k8s, "- name: api");
    expect(find(compareYaml(probeCompose, k8s), "health.missing")?.where).toBe(`test.yaml:${line}:${k8s.split("\n")[line - 1]!.indexOf("api") + 1}`);
  });
  it("a variable among several env entries points at its own entry", () => {
    const k8s = deployment("api", "name: api\n          image: a\n          env:\n            - { name: A, value: a }\n            - { name: MODE, value: slow }");
    expect(k8sLine(find(compareYaml("services:\n  api:\n    image: a\n    environment: { A: a, MODE: fast }\n", k8s), "env.value", "MODE"))).toBe(lineOf(k8s, "name: MODE"));
  });
  it("a variable missing from a container that has other env entries points at its env", () => {
    const k8s = deployment("api", "name: api\n          image: a\n          env:\n            - { name: A, value: a }");
    expect(k8sLine(find(compareYaml("services:\n  api:\n    image: a\n    environment: { A: a, GONE: x }\n", k8s), "env.missing", "GONE"))).toBeOneOf([lineOf(k8s, "env:"), lineOf(k8s, "env:") + 1]);
  });
  it("a field the manifest does not write points at the object, not at a neighbouring field", () => {
    const k8s = deployment("api", "name: api\n          image: a");
    const r = compareYaml("services:\n  api:\n    image: a\n    deploy:\n      replicas: 2\n      resources: { limits: { cpus: \"1\" } }\n", k8s);
    expect(find(r, "replicas.mismatch")?.where).toBe("test.yaml:1");
    expect(find(r, "resources.mismatch")?.where).toBe("test.yaml:1");
  });
  it("a finding about the whole workload (a sidecar) points at the object, even where replicas are written", () => {
    const k8s = deployment("api", "{ name: api, image: a }\n        - { name: proxy, image: envoy }", "").replace("spec:\n  selector", "spec:\n  replicas: 1\n  selector");
    const f = find(compareYaml("services:\n  api: { image: a }\n", k8s), "container.extra");
    expect(f?.where).toBe("test.yaml:1");
  });
  it("findings without a compose field of their own (volumes, replicas) name no compose line", () => {
    const compose = "services:\n  api:\n    image: a\n    healthcheck:\n      test: curl -f http://localhost/\n    volumes: [\"data:/data\"]\n    deploy: { replicas: 2 }\nvolumes: { data: {} }\n";
    const r = compareYaml(compose, deployment("api", "{ name: api, image: a }"));
    expect(find(r, "volume.missing")).toBeDefined();
    expect(find(r, "volume.missing")?.composeWhere).toBeUndefined();
    expect(find(r, "replicas.mismatch")?.composeWhere).toBeUndefined();
  });
});

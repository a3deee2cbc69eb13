import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, statSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rewriteImages } from "../../../src/kube/render.js";
import { parseManifests } from "../../../src/kube/manifests.js";
import { sourceOf } from "../../../src/kube/sources.js";
import { devSecrets, missingSecrets } from "../../../src/kube/secrets.js";
import type { LoadedEnv } from "../../../src/config/load.js";
import { envSchema } from "../../../src/config/schema.js";

const manifests = `apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}
---
# empty documents are skipped
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      initContainers: [{name: wait, image: "busybox:1"}]
      containers:
      - name: api
        image: shop/api:latest
        envFrom: [{secretRef: {name: api-env}}]
        env:
        - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
        - {name: OPT, valueFrom: {secretKeyRef: {name: maybe, key: x, optional: true}}}
`;

describe("parseManifests and rewriteImages", () => {
  it("expands Lists, skips empty documents, remembers file:line", () => {
    const objs = parseManifests(manifests, "k8s/app.yaml");
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["ConfigMap/a", "Deployment/api"]);
    expect(sourceOf(objs[1]!)).toBe("k8s/app.yaml:8");
  });
  it("names the file and line of bad YAML and of objects without a kind", () => {
    expect(() => parseManifests("a: [1,\n", "k8s/bad.yaml")).toThrow(/malformed YAML in k8s\/bad.yaml/);
    expect(() => parseManifests("apiVersion: v1\nmetadata: {name: x}\n", "k8s/nokind.yaml")).toThrow("a manifest in k8s/nokind.yaml lacks apiVersion, kind or metadata.name");
  });
  it("rewrites images to built tags and overrides", () => {
    const objs = parseManifests(manifests, "k8s/app.yaml");
    const built = new Map([["api", { name: "api", repository: "shop/api", ref: "shop/api:devenv-abc", id: "sha256:1", built: true }]]);
    rewriteImages(objs, built, { "busybox:1": "mirror.local/busybox:1" });
    const spec = (objs[1]!.spec as any).template.spec;
    expect(spec.containers[0].image).toBe("shop/api:devenv-abc");
    expect(spec.initContainers[0].image).toBe("mirror.local/busybox:1");
  });
});

describe("dev secrets", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0));
  const envWith = (secrets: unknown): LoadedEnv => {
    const root = mkdtempSync(join(tmpdir(), "devsec-"));
    dirs.push(root);
    writeFileSync(join(root, ".env"), "API_TOKEN=from-dotenv\n");
    return { config: envSchema.parse({ name: "shop", secrets }), file: join(root, "devenv.ts"), root, namespace: "shop" };
  };
  const objs = () => parseManifests(manifests, "k8s/app.yaml");

  it("finds referenced Secrets that no manifest defines (optional ones excluded)", () => {
    expect(missingSecrets(objs()).map((s) => [s.name, [...s.keys]])).toEqual([["api-env", []], ["db", ["password"]]]);
  });

  it("generates, reads env/.env, keeps generated values stable, stores them 0600 and git-ignored", () => {
    const env = envWith({ "api-env": { TOKEN: { env: "API_TOKEN" }, MODE: "dev" }, db: { password: { generate: 16 } } });
    const first = devSecrets(env, objs(), {});
    const data = Object.fromEntries(first.map((s) => [s.metadata.name, s.data as Record<string, string>]));
    expect(Buffer.from(data["api-env"]!.TOKEN!, "base64").toString()).toBe("from-dotenv");
    expect(Buffer.from(data.db!.password!, "base64").toString()).toMatch(/^[0-9a-f]{32}$/);
    const file = join(env.root, ".devenv", "secrets", "db.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(env.root, ".devenv", ".gitignore"), "utf8")).toBe("*\n");
    expect(devSecrets(env, objs(), {})[1]!.data).toEqual(data.db);
    expect(existsSync(join(env.root, ".devenv", "secrets", "api-env.json"))).toBe(false);
  });

  it("a referenced Secret or key with no source names the Secret, the key and the referencing file", () => {
    expect(() => devSecrets(envWith({ "api-env": { A: "x" } }), objs(), {})).toThrow('Secret "db" is referenced by Deployment/api (k8s/app.yaml:8) but no manifest defines it and devenv.ts has no secrets.db');
    expect(() => devSecrets(envWith({ "api-env": { A: "x" }, db: { user: "u" } }), objs(), {})).toThrow('Secret "db" key "password" is referenced by Deployment/api (k8s/app.yaml:8) but devenv.ts secrets.db does not define it');
    expect(() => devSecrets(envWith({ "api-env": { A: { env: "NOPE" } }, db: { password: "p" } }), objs(), {})).toThrow(/reads \$NOPE, which is set neither in the environment nor in/);
  });
});

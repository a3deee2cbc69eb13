// The three `up` steps this seam owns, end to end: a kustomize directory rendered by real
// kubectl, images rewritten, a dev Secret generated, waves applied to the test API server.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnv } from "../../../src/config/load.js";
import { applyAppsStep, applyDataStep, renderManifestsStep } from "../../../src/up/steps/manifests.js";
import type { UpContext } from "../../../src/up/context.js";
import { startKubeApiServer, type KubeApiServer } from "../../helpers/kube-api-server/index.js";
import { allGood, drive } from "./fixtures.js";

let server: KubeApiServer;
let root: string;
let ctx: UpContext;
const saved = { KUBECONFIG: process.env.KUBECONFIG, DEVENV_WAIT_TIMEOUT_MS: process.env.DEVENV_WAIT_TIMEOUT_MS };
const task = { output: () => {}, title: () => {}, skipped: () => {} };

const base = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: shop/api:latest
        env: [{name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db-credentials, key: password}}}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: postgres}
spec:
  serviceName: postgres
  selector: {matchLabels: {app: postgres}}
  template:
    metadata: {labels: {app: postgres}}
    spec:
      containers:
      - name: postgres
        image: postgres:16
        envFrom: [{secretRef: {name: db-credentials}}]
`;

beforeAll(async () => {
  server = await startKubeApiServer();
  process.env.KUBECONFIG = server.kubeconfig();
  process.env.DEVENV_WAIT_TIMEOUT_MS = "10000";
  root = mkdtempSync(join(tmpdir(), "devenv-up-"));
  mkdirSync(join(root, "k8s"));
  writeFileSync(join(root, "k8s", "app.yaml"), base);
  writeFileSync(join(root, "k8s", "kustomization.yaml"), "namespace: shop\nresources: [app.yaml]\n");
  writeFileSync(
    join(root, "devenv.ts"),
    `export default { name: "shop", cluster: { provider: "existing", context: "test" }, manifests: { kustomize: "k8s" },
  imageOverrides: { "postgres:16": "devenv-local/postgres:16" },
  secrets: { "db-credentials": { password: { generate: 16 }, POSTGRES_USER: "app" } } };\n`,
  );
  const env = await loadEnv("devenv.ts", root);
  const built = { name: "api", repository: "shop/api", ref: "shop/api:devenv-0123456789ab", id: "sha256:x", built: true };
  ctx = { env, target: "cluster", dryRun: false, yes: true, verbose: false, watch: false, images: new Map([["api", built]]), cluster: { provider: "existing", name: "test", context: "test", nodes: [] }, log: () => {} };
});
afterAll(async () => {
  Object.assign(process.env, saved);
  if (saved.KUBECONFIG === undefined) delete process.env.KUBECONFIG;
  if (saved.DEVENV_WAIT_TIMEOUT_MS === undefined) delete process.env.DEVENV_WAIT_TIMEOUT_MS;
  await server?.close();
});

describe("render-manifests, apply-data, apply-apps", () => {
  it("plans without touching anything (--dry-run)", async () => {
    const plan = [...(await renderManifestsStep.plan(ctx)), ...(await applyDataStep.plan(ctx)), ...(await applyAppsStep.plan(ctx))];
    expect(plan).toEqual([
      "render kubectl kustomize k8s: 2 objects, images rewritten to built tags / overrides",
      "generate dev Secret db-credentials from devenv.ts secrets (stored 0600 under .devenv/secrets/)",
      "server-side apply (field manager devenv) config: Secret/db-credentials",
      "server-side apply (field manager devenv) data: StatefulSet/postgres → wait until ready",
      "server-side apply (field manager devenv) apps: Deployment/api → wait until ready",
      "prune objects devenv applied before that the manifests no longer contain (inventory ConfigMap in shop)",
    ]);
    expect(existsSync(join(root, ".devenv"))).toBe(false);
    expect(server.writes).toEqual([]);
  });

  it("renders, generates the Secret, applies the data wave before the apps", async () => {
    const stop = drive(server, allGood(server));
    try {
      await renderManifestsStep.run(ctx, task);
      await applyDataStep.run(ctx, task);
      expect(server.get("apps/v1", "Deployment", "shop", "api")).toBeUndefined();
      await applyAppsStep.run(ctx, task);
    } finally {
      stop();
    }
    expect(server.get("apps/v1", "Deployment", "shop", "api")!.spec.template.spec.containers[0].image).toBe("shop/api:devenv-0123456789ab");
    expect(server.get("apps/v1", "StatefulSet", "shop", "postgres")!.spec.template.spec.containers[0].image).toBe("devenv-local/postgres:16");
    const secret = server.get("v1", "Secret", "shop", "db-credentials")!;
    expect(Buffer.from(secret.data.POSTGRES_USER, "base64").toString()).toBe("app");
    expect(existsSync(join(root, ".devenv", "secrets", "db-credentials.json"))).toBe(true);
  });

  it("a second run sends nothing", async () => {
    server.clearWrites();
    await renderManifestsStep.run(ctx, task);
    await applyDataStep.run(ctx, task);
    await applyAppsStep.run(ctx, task);
    expect(server.writes).toEqual([]);
  });
});

// "Up to date" the way the API server decides it (issue 14): the test API server stores
// quantities canonically (`1000m` → `1`), keeps an HPA's metrics in an order of its own and
// fills defaults inside list items, so both stacks' second `up` must still write nothing, also
// after a manifest is rewritten to equivalent quantities or reordered metrics. A migration Job
// with such a quantity is left alone; one whose pod template really changed is replaced, and
// the step says which field changed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { loadEnv } from "../../../src/config/load.js";
import { applyAppsStep, applyDataStep, renderManifestsStep } from "../../../src/up/steps/manifests.js";
import type { BuiltImage } from "../../../src/model/index.js";
import type { UpContext } from "../../../src/up/context.js";
import { startKubeApiServer, type KubeApiServer } from "../../helpers/kube-api-server/index.js";
import { drive } from "../kube/fixtures.js";
import { copyStack } from "./stack-harness.js";

const saved = { KUBECONFIG: process.env.KUBECONFIG, DEVENV_WAIT_TIMEOUT_MS: process.env.DEVENV_WAIT_TIMEOUT_MS };
let server: KubeApiServer;
const roots: string[] = [];

beforeAll(async () => {
  server = await startKubeApiServer();
  process.env.KUBECONFIG = server.kubeconfig();
  process.env.DEVENV_WAIT_TIMEOUT_MS = "15000";
});
afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await server?.close();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

async function stackContext(paths: string[], envFile: string): Promise<{ ctx: UpContext; root: string }> {
  const root = copyStack(paths, envFile, `devenv-test-${randomBytes(3).toString("hex")}`);
  roots.push(root);
  const env = await loadEnv(envFile, root);
  const images = new Map<string, BuiltImage>(
    Object.entries(env.config.images).map(([name, img]) => [name, { name, repository: img.image, ref: `${img.image}:devenv-0123456789ab`, id: "sha256:x", built: true }]),
  );
  const ctx: UpContext = { env, target: "cluster", dryRun: false, yes: true, verbose: false, watch: false, images, cluster: { provider: "existing", name: "test", context: "test", nodes: [] }, log: () => {} };
  return { ctx, root };
}

/** render + apply-data + apply-apps, playing the controllers; returns the lines the steps printed. */
async function up(ctx: UpContext): Promise<string[]> {
  const lines: string[] = [];
  const task = { output: (l: string) => lines.push(l), title: () => {}, skipped: () => {} };
  const ns = ctx.env.namespace;
  const stop = drive(server, (kind, name) => (kind === "Job" ? server.completeJob(ns, name) : server.setWorkloadReady(ns, `${kind.toLowerCase()}/${name}`)), ns);
  try {
    await renderManifestsStep.run(ctx, task);
    await applyDataStep.run(ctx, task);
    await applyAppsStep.run(ctx, task);
  } finally {
    stop();
  }
  return lines;
}

const edit = (file: string, from: string | RegExp, to: string) => {
  const text = readFileSync(file, "utf8");
  const next = text.replace(from, to);
  expect(next, `${file}: ${String(from)}`).not.toBe(text);
  writeFileSync(file, next);
};

/** Reverses every HPA's spec.metrics in a YAML file. */
const reverseMetrics = (file: string) => {
  const docs = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS());
  for (const d of docs) if (Array.isArray(d?.spec?.metrics)) d.spec.metrics.reverse();
  writeFileSync(file, docs.map((d) => JSON.stringify(d)).join("\n---\n"));
};

describe("CodeBeaker: a second up writes nothing against canonicalising server", () => {
  let ctx: UpContext;
  let root: string;
  beforeAll(async () => {
    ({ ctx, root } = await stackContext(["fixtures/codebeaker"], "fixtures/codebeaker/devenv.ts"));
    await up(ctx);
  });

  it("stores what the real server stores: 1000m as 1, the HPA's metrics in its own order", () => {
    const worker = server.get("apps/v1", "Deployment", "codebeaker", "codebeaker-worker")!;
    expect(worker.spec.template.spec.containers[0].resources.limits.cpu).toBe("1");
    const hpa = server.get("autoscaling/v2", "HorizontalPodAutoscaler", "codebeaker", "codebeaker-api")!;
    expect(hpa.spec.metrics.map((m: any) => m.resource.name)).toEqual(["memory", "cpu"]);
  });

  it("unchanged manifests: no write, and the normalised comparison needs no dry run", async () => {
    server.clearWrites();
    const before = server.requests.length;
    await up(ctx);
    expect(server.changes()).toEqual([]);
    expect(server.requests.slice(before).filter((r) => r.includes("dryRun=All"))).toEqual([]);
  });

  it("equivalent quantities (0.2, 1024Mi) and reordered HPA metrics: still no write", async () => {
    const base = join(root, "fixtures/codebeaker/k8s/base");
    edit(join(base, "worker-deployment.yaml"), "cpu: 200m", 'cpu: "0.2"');
    edit(join(base, "worker-deployment.yaml"), "memory: 1Gi", "memory: 1024Mi");
    edit(join(root, "fixtures/codebeaker/k8s/overlays/dev/kustomization.yaml"), "value: 1Gi", "value: 1024Mi");
    reverseMetrics(join(base, "hpa.yaml"));
    server.clearWrites();
    await up(ctx);
    expect(server.changes()).toEqual([]);
  });

  it("an HPA scaled its target (kube-controller-manager, /scale): the next up neither conflicts nor writes replicas back", async () => {
    const path = "/apis/apps/v1/namespaces/codebeaker/deployments/codebeaker-worker/scale?fieldManager=kube-controller-manager";
    const res = await fetch(`${server.url}${path}`, { method: "PATCH", headers: { "content-type": "application/merge-patch+json" }, body: JSON.stringify({ spec: { replicas: 4 } }) });
    expect(res.status).toBe(200);
    const worker = () => server.get("apps/v1", "Deployment", "codebeaker", "codebeaker-worker")!;
    expect(worker().metadata.managedFields.map((m: { manager: string }) => m.manager)).toContain("kube-controller-manager");
    server.clearWrites();
    await up(ctx);
    expect(server.changes()).toEqual([]);
    expect(worker().spec.replicas).toBe(4);
    // A manifest change elsewhere in the object is applied, still without spec.replicas.
    edit(join(root, "fixtures/codebeaker/k8s/base/worker-deployment.yaml"), "memory: 1024Mi", "memory: 1100Mi");
    server.clearWrites();
    await up(ctx);
    expect(server.changes().map((w) => `${w.verb} ${w.kind}/${w.name}`)).toEqual(["apply Deployment/codebeaker-worker"]);
    expect(worker().spec.replicas).toBe(4);
  });
});

describe("AgentForge: quantities and the migration Job", () => {
  let ctx: UpContext;
  let root: string;
  beforeAll(async () => {
    ({ ctx, root } = await stackContext(["devenv.ts", "compose", "fixtures/agentforge"], "devenv.ts"));
    await up(ctx);
  });

  it("unchanged manifests: no write, and the normalised comparison needs no dry run", async () => {
    server.clearWrites();
    const before = server.requests.length;
    await up(ctx);
    expect(server.changes()).toEqual([]);
    expect(server.requests.slice(before).filter((r) => r.includes("dryRun=All"))).toEqual([]);
  });

  it("a Job with cpu: 0.5 (stored as 500m) is not re-run, nor are 1000m/1024Mi elsewhere", async () => {
    const base = join(root, "fixtures/agentforge/k8s/base");
    edit(join(base, "backend/migration-job.yaml"), "cpu: 500m", 'cpu: "0.5"');
    edit(join(root, "fixtures/agentforge/k8s/overlays/dev/kustomization.yaml"), "value: 1Gi", "value: 1024Mi");
    edit(join(root, "fixtures/agentforge/k8s/overlays/dev/kustomization.yaml"), "cpu: 25m", "cpu: 0.025");
    server.clearWrites();
    await up(ctx);
    expect(server.writes.filter((w) => w.kind === "Job" && w.verb === "delete")).toEqual([]);
    expect(server.changes()).toEqual([]);
  });

  it("a Job whose pod template really changed is replaced, naming the changed field", async () => {
    edit(join(root, "fixtures/agentforge/k8s/base/backend/migration-job.yaml"), 'command: ["node", "migrate.js"]', 'command: ["node", "migrate.js", "--verbose"]');
    server.clearWrites();
    const lines = await up(ctx);
    expect(server.changes().map((w) => `${w.verb} ${w.kind}/${w.name}`)).toEqual(["delete Job/migrate", "apply Job/migrate"]);
    expect(lines.join("\n")).toContain("Job/agentforge/migrate: spec.template.spec.containers[name=migrate].command changed");
    expect(server.get("batch/v1", "Job", "agentforge", "migrate")!.spec.template.spec.containers[0].command).toEqual(["node", "migrate.js", "--verbose"]);
  });

  it("a changed volumeClaimTemplate is refused before any write, with the orphan re-create as the fix", async () => {
    edit(join(root, "fixtures/agentforge/k8s/overlays/dev/kustomization.yaml"), "value: 1024Mi", "value: 2Gi");
    server.clearWrites();
    const err = await up(ctx).then(() => undefined, (e: unknown) => e as { message: string; hint?: string });
    expect(err?.message).toContain("StatefulSet/agentforge/postgres: spec.volumeClaimTemplates[name=");
    expect(err?.message).toContain("cannot change on an existing StatefulSet");
    expect(err?.hint).toContain("kubectl delete statefulset/postgres -n agentforge --cascade=orphan");
    expect(server.changes().filter((w) => w.kind === "StatefulSet")).toEqual([]);
    expect(err?.hint).toContain("devenv up --recreate statefulset/postgres");
  });

  it("--recreate statefulset/postgres deletes it orphaning its pods, applies it again, and the pods are adopted", async () => {
    const podBefore = server.list("v1", "Pod", "agentforge").find((p) => p.metadata.name === "postgres-0")!;
    server.clearWrites();
    const lines = await up({ ...ctx, recreate: ["statefulset/postgres"] });
    expect(server.changes().filter((w) => w.kind === "StatefulSet").map((w) => `${w.verb} ${w.name}`)).toEqual(["delete postgres", "apply postgres"]);
    expect(lines.join("\n")).toContain("StatefulSet/agentforge/postgres: re-created (--recreate)");
    const sts = server.get("apps/v1", "StatefulSet", "agentforge", "postgres")!;
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("2Gi");
    const podAfter = server.list("v1", "Pod", "agentforge").find((p) => p.metadata.name === "postgres-0")!;
    expect(podAfter.metadata.uid).toBe(podBefore.metadata.uid);
    expect(podAfter.metadata.ownerReferences[0].uid).toBe(sts.metadata.uid);
  });
});

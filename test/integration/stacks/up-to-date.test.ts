// "Up to date" the way the API server decides it (issue 14): the test API server stores
// quantities canonically (`1000m` → `1`), keeps an HPA's metrics in an order of its own and
// fills defaults inside list items, so both stacks' second `up` must still write nothing, also
// after a manifest is rewritten to equivalent quantities or reordered metrics. A migration Job
// with such a quantity is left alone; one whose pod template really changed is replaced, and
// the step says which field changed.
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { UpContext } from "../../../src/up/context.js";
import { applyStack, useTestApiServer } from "./stack-harness.js";

const api = useTestApiServer();
const up = (ctx: UpContext) => applyStack(api.server(), ctx);

/** Another up of unchanged manifests writes nothing and needs no dry-run request. */
async function upWritesNothing(ctx: UpContext): Promise<void> {
  api.server().clearWrites();
  const before = api.server().requests.length;
  await up(ctx);
  expect(api.server().changes()).toEqual([]);
  expect(api.server().requests.slice(before).filter((r) => r.includes("dryRun=All"))).toEqual([]);
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
    ({ ctx, root } = await api.stack(["fixtures/codebeaker"], "fixtures/codebeaker/devenv.ts"));
    await up(ctx);
  });

  it("stores what the real server stores: 1000m as 1, the HPA's metrics in its own order", () => {
    const worker = api.server().get("apps/v1", "Deployment", "codebeaker", "codebeaker-worker")!;
    expect(worker.spec.template.spec.containers[0].resources.limits.cpu).toBe("1");
    const hpa = api.server().get("autoscaling/v2", "HorizontalPodAutoscaler", "codebeaker", "codebeaker-api")!;
    expect(hpa.spec.metrics.map((m: any) => m.resource.name)).toEqual(["memory", "cpu"]);
  });

  it("unchanged manifests: no write, and the normalised comparison needs no dry run", () => upWritesNothing(ctx));

  it("equivalent quantities (0.2, 1024Mi) and reordered HPA metrics: still no write", async () => {
    const base = join(root, "fixtures/codebeaker/k8s/base");
    edit(join(base, "worker-deployment.yaml"), "cpu: 200m", 'cpu: "0.2"');
    edit(join(base, "worker-deployment.yaml"), "memory: 1Gi", "memory: 1024Mi");
    edit(join(root, "fixtures/codebeaker/k8s/overlays/dev/kustomization.yaml"), "value: 1Gi", "value: 1024Mi");
    reverseMetrics(join(base, "hpa.yaml"));
    api.server().clearWrites();
    await up(ctx);
    expect(api.server().changes()).toEqual([]);
  });

  it("an HPA scaled its target (kube-controller-manager, /scale): the next up neither conflicts nor writes replicas back", async () => {
    const path = "/apis/apps/v1/namespaces/codebeaker/deployments/codebeaker-worker/scale?fieldManager=kube-controller-manager";
    const res = await fetch(`${api.server().url}${path}`, { method: "PATCH", headers: { "content-type": "application/merge-patch+json" }, body: JSON.stringify({ spec: { replicas: 4 } }) });
    expect(res.status).toBe(200);
    const worker = () => api.server().get("apps/v1", "Deployment", "codebeaker", "codebeaker-worker")!;
    expect(worker().metadata.managedFields.map((m: { manager: string }) => m.manager)).toContain("kube-controller-manager");
    api.server().clearWrites();
    await up(ctx);
    expect(api.server().changes()).toEqual([]);
    expect(worker().spec.replicas).toBe(4);
    // A manifest change elsewhere in the object is applied, still without spec.replicas.
    edit(join(root, "fixtures/codebeaker/k8s/base/worker-deployment.yaml"), "memory: 1024Mi", "memory: 1100Mi");
    api.server().clearWrites();
    await up(ctx);
    expect(api.server().changes().map((w) => `${w.verb} ${w.kind}/${w.name}`)).toEqual(["apply Deployment/codebeaker-worker"]);
    expect(worker().spec.replicas).toBe(4);
  });
});

describe("AgentForge: quantities and the migration Job", () => {
  let ctx: UpContext;
  let root: string;
  beforeAll(async () => {
    ({ ctx, root } = await api.stack(["devenv.ts", "compose", "fixtures/agentforge"], "devenv.ts"));
    await up(ctx);
  });

  it("unchanged manifests: no write, and the normalised comparison needs no dry run", () => upWritesNothing(ctx));

  it("a Job with cpu: 0.5 (stored as 500m) is not re-run, nor are 1000m/1024Mi elsewhere", async () => {
    const base = join(root, "fixtures/agentforge/k8s/base");
    edit(join(base, "backend/migration-job.yaml"), "cpu: 500m", 'cpu: "0.5"');
    edit(join(root, "fixtures/agentforge/k8s/overlays/dev/kustomization.yaml"), "value: 1Gi", "value: 1024Mi");
    edit(join(root, "fixtures/agentforge/k8s/overlays/dev/kustomization.yaml"), "cpu: 25m", "cpu: 0.025");
    api.server().clearWrites();
    await up(ctx);
    expect(api.server().writes.filter((w) => w.kind === "Job" && w.verb === "delete")).toEqual([]);
    expect(api.server().changes()).toEqual([]);
  });

  it("a Job whose pod template really changed is replaced, naming the changed field", async () => {
    edit(join(root, "fixtures/agentforge/k8s/base/backend/migration-job.yaml"), 'command: ["node", "migrate.js"]', 'command: ["node", "migrate.js", "--verbose"]');
    api.server().clearWrites();
    const lines = await up(ctx);
    expect(api.server().changes().map((w) => `${w.verb} ${w.kind}/${w.name}`)).toEqual(["delete Job/migrate", "apply Job/migrate"]);
    expect(lines.join("\n")).toContain("Job/agentforge/migrate: spec.template.spec.containers[name=migrate].command changed");
    expect(api.server().get("batch/v1", "Job", "agentforge", "migrate")!.spec.template.spec.containers[0].command).toEqual(["node", "migrate.js", "--verbose"]);
  });

  it("a changed volumeClaimTemplate is refused before any write, with the orphan re-create as the fix", async () => {
    edit(join(root, "fixtures/agentforge/k8s/overlays/dev/kustomization.yaml"), "value: 1024Mi", "value: 2Gi");
    api.server().clearWrites();
    const err = await up(ctx).then(() => undefined, (e: unknown) => e as { message: string; hint?: string });
    expect(err?.message).toContain("StatefulSet/agentforge/postgres: spec.volumeClaimTemplates[name=");
    expect(err?.message).toContain("cannot change on an existing StatefulSet");
    expect(err?.hint).toContain("kubectl delete statefulset/postgres -n agentforge --cascade=orphan");
    expect(api.server().changes().filter((w) => w.kind === "StatefulSet")).toEqual([]);
    expect(err?.hint).toContain("devenv up --recreate statefulset/postgres");
  });

  it("--recreate statefulset/postgres deletes it orphaning its pods, applies it again, and the pods are adopted", async () => {
    const podBefore = api.server().list("v1", "Pod", "agentforge").find((p) => p.metadata.name === "postgres-0")!;
    api.server().clearWrites();
    const lines = await up({ ...ctx, recreate: ["statefulset/postgres"] });
    expect(api.server().changes().filter((w) => w.kind === "StatefulSet").map((w) => `${w.verb} ${w.name}`)).toEqual(["delete postgres", "apply postgres"]);
    expect(lines.join("\n")).toContain("StatefulSet/agentforge/postgres: re-created (--recreate)");
    const sts = api.server().get("apps/v1", "StatefulSet", "agentforge", "postgres")!;
    expect(sts.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe("2Gi");
    const podAfter = api.server().list("v1", "Pod", "agentforge").find((p) => p.metadata.name === "postgres-0")!;
    expect(podAfter.metadata.uid).toBe(podBefore.metadata.uid);
    expect(podAfter.metadata.ownerReferences[0].uid).toBe(sts.metadata.uid);
  });
});

// Waves and waits end to end against the test API server: order of writes, a failing
// migration stopping the rollout, idempotence, pruning, and waits that explain failures.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KubeRest } from "../../../src/kube/rest.js";
import { deployPhase, type DeployOptions } from "../../../src/kube/deploy.js";
import type { KubeObject } from "../../../src/model/index.js";
import type { KubeApiServer } from "../../helpers/kube-api-server/index.js";
import { NS, allGood, drive, serverWithRest, stack } from "./fixtures.js";

let server: KubeApiServer;
let rest: KubeRest;
let stopDriver: (() => void) | undefined;
const opts: DeployOptions = { envName: "shop", namespace: NS, timeoutMs: 15_000 };

async function up(objects: KubeObject[], o: Partial<DeployOptions> = {}) {
  await deployPhase(rest, objects, "data", { ...opts, ...o });
  await deployPhase(rest, objects, "apps", { ...opts, ...o });
}

beforeAll(async () => {
  ({ server, rest } = await serverWithRest());
});
afterEach(() => stopDriver?.());
afterAll(async () => server?.close());

describe("deploy in waves", () => {
  it("applies namespace → config → data (waited) → jobs (waited) → apps (waited) → expose", async () => {
    stopDriver = drive(server, allGood(server));
    await up(stack());
    const order = server
      .changes()
      .filter((w) => w.name !== "devenv-inventory")
      .map((w) => `${w.kind}/${w.name}`);
    expect(order).toEqual(["Namespace/shop", "ConfigMap/api-config", "Service/postgres", "Service/api", "StatefulSet/postgres", "Job/migrate", "Deployment/api", "Ingress/api"]);
    const api = server.get("apps/v1", "Deployment", NS, "api")!;
    expect(api.metadata.labels).toMatchObject({ "app.kubernetes.io/managed-by": "devenv", "devenv.dev/env": "shop" });
    expect(api.metadata.managedFields.map((m: any) => m.manager)).toEqual(["devenv"]);
  });

  it("a second up sends no changes at all", async () => {
    stopDriver = drive(server, allGood(server));
    server.clearWrites();
    await up(stack());
    expect(server.writes).toEqual([]);
  });

  it("prunes an object removed from the manifests, and leaves alone what devenv does not own", async () => {
    server.put({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "someone-elses", namespace: NS }, data: { a: "1" } });
    stopDriver = drive(server, allGood(server));
    const without = stack().filter((o) => o.metadata.name !== "api-config" || o.kind !== "ConfigMap");
    const log: string[] = [];
    await up(without, { log: (l) => log.push(l) });
    expect(server.get("v1", "ConfigMap", NS, "api-config")).toBeUndefined();
    expect(server.get("v1", "ConfigMap", NS, "someone-elses")).toBeDefined();
    expect(log).toContain("pruned ConfigMap/api-config (no longer in the manifests)");
    // An object devenv once applied but someone has since relabelled is not deleted either.
    await up(stack());
    const cm = server.get("v1", "ConfigMap", NS, "api-config")!;
    server.put({ ...cm, metadata: { ...cm.metadata, labels: { team: "payments" }, managedFields: undefined } }, "kubectl-edit");
    await up(without);
    expect(server.get("v1", "ConfigMap", NS, "api-config")).toBeDefined();
  });

  it("a failing migration Job stops the apps from rolling out, with the Job's message", async () => {
    const ns = "failing";
    const objs = stack().map((o) => (o.kind === "Namespace" ? { ...o, metadata: { name: ns } } : o));
    stopDriver = drive(server, (kind, name) => {
      if (kind === "Job") server.failJob(ns, name, "Job has reached the specified backoff limit");
      else server.setWorkloadReady(ns, `${kind.toLowerCase()}/${name}`);
    }, ns);
    const err = await up(objs, { namespace: ns, envName: "failing" }).catch((e: Error) => e);
    expect((err as Error).message).toBe("Job/failing/migrate failed: BackoffLimitExceeded: Job has reached the specified backoff limit");
    expect((err as { hint?: string }).hint).toContain("the apps were not rolled out");
    expect(server.get("apps/v1", "Deployment", ns, "api")).toBeUndefined();
    expect(server.get("networking.k8s.io/v1", "Ingress", ns, "api")).toBeUndefined();
  });
});

describe("Jobs", () => {
  it("a changed Job (immutable template) is replaced, not patched", async () => {
    const ns = "jobs";
    const job = (image: string): KubeObject => ({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "migrate", namespace: ns }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "m", image }] } } } });
    stopDriver = drive(server, (_k, name) => server.completeJob(ns, name), ns);
    const o = { envName: ns, namespace: ns, timeoutMs: 10_000 };
    await deployPhase(rest, [job("shop/api:devenv-1")], "apps", o);
    const first = server.get("batch/v1", "Job", ns, "migrate")!.metadata.uid;
    await deployPhase(rest, [job("shop/api:devenv-2")], "apps", o);
    const second = server.get("batch/v1", "Job", ns, "migrate")!;
    expect(second.metadata.uid).not.toBe(first);
    expect(second.spec.template.spec.containers[0].image).toBe("shop/api:devenv-2");
  });
});

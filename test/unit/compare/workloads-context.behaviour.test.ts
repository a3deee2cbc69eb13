// The Kubernetes side as compare-compose sees it: which objects are workloads, their pods'
// labels, replicas and containers, the Services selecting them, the HPA scaling them.
import { describe, expect, it } from "vitest";
import { byName, selects, workloadsOf } from "../../../src/compare/workloads.js";
import { hpaFor, indexObjects, ref, servicesFor } from "../../../src/compare/context.js";
import type { KubeObject } from "../../../src/model/index.js";

const tpl = (labels: object, containers: object[], extra: object = {}) => ({ template: { metadata: { labels }, spec: { containers, ...extra } } });
const objects: KubeObject[] = [
  { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", labels: { tier: "f" }, namespace: "shop" }, spec: { replicas: 3, ...tpl({ app: "web" }, [{ name: "web", image: "w" }, { name: "side", image: "s" }], { initContainers: [{ name: "init", image: "i" }], volumes: [{ name: "v", emptyDir: {} }] }) } },
  { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "db" }, spec: { ...tpl({ app: "db" }, [{ name: "pg", image: "p" }]), volumeClaimTemplates: [{ metadata: { name: "data" } }] } },
  { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "agent" }, spec: { replicas: 5, ...tpl({ app: "agent" }, [{ name: "a", image: "a" }]) } },
  { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "nightly" }, spec: { jobTemplate: { spec: tpl({ app: "nightly" }, [{ name: "n", image: "n" }]) } } },
  { apiVersion: "v1", kind: "Pod", metadata: { name: "debug", labels: { app: "debug" } }, spec: { containers: [{ name: "d", image: "d" }] } },
  { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "rs" }, spec: tpl({}, []) },
  { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { selector: { app: "web" } } },
  { apiVersion: "v1", kind: "Service", metadata: { name: "all" }, spec: {} },
  { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "h" }, spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, maxReplicas: 6 } },
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg", namespace: "shop" } },
];

describe("workloadsOf", () => {
  const ws = workloadsOf(objects);
  it("Deployments, StatefulSets, DaemonSets, Jobs, CronJobs and Pods, in manifest order; no ReplicaSets", () => {
    expect(ws.map(ref)).toEqual(["Deployment/web", "StatefulSet/db", "DaemonSet/agent", "CronJob/nightly", "Pod/debug"]);
  });
  it("replicas only for Deployments and StatefulSets (1 when not written)", () => {
    expect(ws.map((w) => w.replicas)).toEqual([3, 1, undefined, undefined, undefined]);
  });
  it("pod labels, containers, init containers, volumes and claim templates from the pod template", () => {
    const [web, db, , cron, pod] = ws;
    expect(web).toMatchObject({ namespace: "shop", labels: { tier: "f" }, podLabels: { app: "web" }, initContainers: [{ name: "init" }], volumes: [{ name: "v" }] });
    expect(web!.containers.map((c) => c.name)).toEqual(["web", "side"]);
    expect(db!.claimTemplates.map((t) => t.metadata.name)).toEqual(["data"]);
    expect(cron!.containers.map((c) => c.name)).toEqual(["n"]);
    expect(pod).toMatchObject({ podLabels: { app: "debug" }, containers: [{ name: "d" }], labels: { app: "debug" } });
  });
  it("a workload without a template has no containers rather than failing", () => {
    expect(workloadsOf([{ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" } }])[0]).toMatchObject({ containers: [], initContainers: [], volumes: [], claimTemplates: [], podLabels: {}, labels: {}, replicas: 1 });
  });
});

describe("Services, HPAs and lookups", () => {
  const ws = workloadsOf(objects);
  it("a Service selects pods whose labels hold its whole selector; an empty selector selects nothing", () => {
    expect(servicesFor({ objects }, ws[0]!).map((s) => s.metadata.name)).toEqual(["web"]);
    expect(servicesFor({ objects }, ws[1]!)).toEqual([]);
    expect(selects(objects[6]!, { app: "web", extra: "x" })).toBe(true);
    expect(selects(objects[6]!, { app: "db" })).toBe(false);
    expect(selects(objects[7]!, { app: "web" })).toBe(false);
  });
  it("an HPA without minReplicas starts at 1; only the HPA of that kind and name counts", () => {
    expect(hpaFor({ objects }, ws[0]!)).toEqual({ min: 1, max: 6 });
    expect(hpaFor({ objects }, ws[1]!)).toBeUndefined();
    expect(hpaFor({ objects }, { ...ws[0]!, kind: "StatefulSet" })).toBeUndefined();
  });
  it("ConfigMaps, Secrets and claims by name; the namespace most objects use", () => {
    const idx = indexObjects(objects);
    expect([...idx.configMaps.keys()]).toEqual(["cfg"]);
    expect(idx.secrets.size).toBe(0);
    expect(idx.namespace).toBe("shop");
    expect(indexObjects(objects, "given").namespace).toBe("given");
    expect(indexObjects([]).namespace).toBe("default");
    expect([...byName(objects, "Service").keys()]).toEqual(["web", "all"]);
  });
});

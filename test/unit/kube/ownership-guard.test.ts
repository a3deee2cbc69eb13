// Pruning deletes only what devenv made for this environment; the applied hash says
// "nothing to do" only when the configuration is really the same.
import { describe, expect, it } from "vitest";
import { HASH_ANNOTATION, ENV_LABEL, MANAGED_BY_LABEL, describeObject, firstDifference, isOwnedBy, isUpToDate, prepareObject } from "../../../src/kube/ownership.js";
import type { KubeObject } from "../../../src/model/index.js";

const hashOf = (o: KubeObject) => prepareObject(o, "shop", "shop").metadata.annotations?.[HASH_ANNOTATION];

describe("the prune guard", () => {
  it("an object with this environment's label but another manager (or none) is not devenv's", () => {
    const labelled = (labels: Record<string, string>) => ({ metadata: { name: "x", labels } });
    expect(isOwnedBy(labelled({ [ENV_LABEL]: "shop" }), "shop")).toBe(false);
    expect(isOwnedBy(labelled({ [ENV_LABEL]: "shop", [MANAGED_BY_LABEL]: "Helm" }), "shop")).toBe(false);
    expect(isOwnedBy(labelled({ [MANAGED_BY_LABEL]: "devenv" }), "shop")).toBe(false);
    expect(isOwnedBy(labelled({ [MANAGED_BY_LABEL]: "devenv", [ENV_LABEL]: "shop" }), "shop")).toBe(true);
    expect(isOwnedBy({ metadata: { name: "x" } }, "shop")).toBe(false);
  });
});

describe("the applied-configuration hash", () => {
  it("does not depend on the order keys were written in", () => {
    const a: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: { a: "1", b: "2" } }, data: { x: "1", y: "2" } };
    const b: KubeObject = { kind: "ConfigMap", data: { y: "2", x: "1" }, metadata: { labels: { b: "2", a: "1" }, name: "c" }, apiVersion: "v1" };
    expect(hashOf(a)).toBe(hashOf(b));
  });
  it("changes with any value, and with the environment", () => {
    const a: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { x: "1" } };
    expect(hashOf({ ...a, data: { x: "2" } })).not.toBe(hashOf(a));
    expect(prepareObject(a, "other", "shop").metadata.annotations?.[HASH_ANNOTATION]).not.toBe(hashOf(a));
  });
  it("ignores a stale hash annotation carried in the input", () => {
    const a: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", annotations: { [HASH_ANNOTATION]: "stale", note: "n" } }, data: { x: "1" } };
    const p = prepareObject(a, "shop", "shop");
    expect(p.metadata.annotations).toEqual({ note: "n", [HASH_ANNOTATION]: hashOf({ ...a, metadata: { name: "c", annotations: { note: "n" } } }) });
  });
  it("an HPA's metrics in another order hash the same, other list orders do not", () => {
    const m1 = { type: "Resource", resource: { name: "cpu" } };
    const m2 = { type: "Resource", resource: { name: "memory" } };
    const hpa = (metrics: unknown[]): KubeObject => ({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "h" }, spec: { metrics } });
    expect(hashOf(hpa([m1, m2]))).toBe(hashOf(hpa([m2, m1])));
    const cm = (list: string[]): KubeObject => ({ apiVersion: "v1", kind: "Thing", metadata: { name: "t" }, spec: { list } });
    expect(hashOf(cm(["a", "b"]))).not.toBe(hashOf(cm(["b", "a"])));
  });
  it("a namespace already set is kept", () => {
    expect(prepareObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "mine" } }, "shop", "shop").metadata.namespace).toBe("mine");
  });
});

describe("drift", () => {
  const desired = prepareObject({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", labels: { app: "web" } }, spec: { replicas: 2, template: { spec: { containers: [{ name: "web", image: "a:1" }, { name: "side", image: "s:1" }] } } } }, "shop", "shop");
  it("a label removed by hand on the live object is drift", () => {
    const live = structuredClone(desired);
    delete live.metadata.labels!.app;
    expect(isUpToDate(desired, live)).toBe(false);
  });
  it("names the first differing field, containers by name", () => {
    const live = structuredClone(desired) as any;
    live.spec.template.spec.containers.reverse();
    live.spec.template.spec.containers[0].image = "s:2";
    expect(firstDifference(live, desired)).toBe("spec.template.spec.containers[name=side].image");
    expect(firstDifference(desired, desired)).toBeUndefined();
    expect(describeObject(desired)).toBe("Deployment/shop/web");
    expect(describeObject({ kind: "Namespace", metadata: { name: "shop" } })).toBe("Namespace/shop");
  });
});

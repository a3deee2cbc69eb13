import { describe, expect, it } from "vitest";
import { HASH_ANNOTATION, contains, isOwnedBy, isUpToDate, prepareObject } from "../../../src/kube/ownership.js";
import { toPrune, union } from "../../../src/kube/inventory.js";
import type { KubeObject } from "../../../src/model/index.js";

const dep: KubeObject = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", labels: { app: "web" } }, spec: { replicas: 2, template: { spec: { containers: [{ name: "web", image: "a:1", ports: [{ containerPort: 80 }] }] } } } };

describe("prepareObject", () => {
  it("labels, fills the namespace, and hashes the configuration", () => {
    const p = prepareObject(dep, "shop", "shop");
    expect(p.metadata.namespace).toBe("shop");
    expect(p.metadata.labels).toEqual({ app: "web", "app.kubernetes.io/managed-by": "devenv", "devenv.dev/env": "shop" });
    expect(p.metadata.annotations?.[HASH_ANNOTATION]).toMatch(/^[0-9a-f]{16}$/);
    expect(prepareObject(dep, "shop", "shop").metadata.annotations).toEqual(p.metadata.annotations);
    const changed = prepareObject({ ...dep, spec: { ...(dep.spec as object), replicas: 3 } }, "shop", "shop");
    expect(changed.metadata.annotations?.[HASH_ANNOTATION]).not.toBe(p.metadata.annotations?.[HASH_ANNOTATION]);
    expect(dep.metadata.labels).toEqual({ app: "web" });
  });

  it("drops the namespace of cluster-scoped objects and folds Secret stringData into data", () => {
    const s = prepareObject({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "x" }, stringData: { k: "v" } }, "e", undefined);
    expect(s.metadata.namespace).toBeUndefined();
    expect(s).toMatchObject({ data: { k: "dg==" } });
    expect(s.stringData).toBeUndefined();
  });
});

describe("isUpToDate", () => {
  const desired = prepareObject(dep, "shop", "shop");
  const live = structuredClone(desired) as any;
  live.metadata.uid = "u";
  live.spec.template.spec.containers[0].imagePullPolicy = "IfNotPresent";
  live.spec.template.spec.containers[0].ports[0].protocol = "TCP";
  live.status = { replicas: 2 };

  it("ignores server defaults and status", () => expect(isUpToDate(desired, live)).toBe(true));
  it("sees a changed value (drift) even with the same hash", () => {
    const drifted = structuredClone(live);
    drifted.spec.replicas = 5;
    expect(isUpToDate(desired, drifted)).toBe(false);
  });
  it("sees a missing object or a different hash", () => {
    expect(isUpToDate(desired, undefined)).toBe(false);
    expect(isUpToDate(prepareObject({ ...dep, metadata: { ...dep.metadata, labels: {} } }, "shop", "shop"), live)).toBe(false);
  });
  it("contains() compares lists item by item", () => {
    expect(contains([{ a: 1, b: 2 }], [{ a: 1 }])).toBe(true);
    expect(contains([{ a: 1 }, { a: 2 }], [{ a: 1 }])).toBe(false);
  });
});

describe("ownership and the inventory", () => {
  it("only objects labelled for this environment are devenv's", () => {
    expect(isOwnedBy(prepareObject(dep, "shop", "shop"), "shop")).toBe(true);
    expect(isOwnedBy(prepareObject(dep, "other", "shop"), "shop")).toBe(false);
    expect(isOwnedBy(dep, "shop")).toBe(false);
  });
  it("prunes what the manifests dropped, never namespaces or CRDs, across API versions", () => {
    const prev = [
      { apiVersion: "v1", kind: "ConfigMap", namespace: "s", name: "old" },
      { apiVersion: "autoscaling/v1", kind: "HorizontalPodAutoscaler", namespace: "s", name: "web" },
      { apiVersion: "v1", kind: "Namespace", name: "s" },
      { apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name: "w.example.com" },
    ];
    const cur = [{ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", namespace: "s", name: "web" }];
    expect(toPrune(prev, cur)).toEqual([prev[0]]);
    expect(union(prev, cur)).toHaveLength(4);
  });
});

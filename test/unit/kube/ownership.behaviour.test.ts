// "Nothing to do" on a second `up`, and the drift report on `status`: what the server adds,
// reorders or folds must not look like a change, and a real change must.
import { describe, expect, it } from "vitest";
import { HASH_ANNOTATION, contains, firstDifference, isUpToDate, prepareObject } from "../../../src/kube/ownership.js";
import type { KubeObject } from "../../../src/model/index.js";

const hashOf = (o: KubeObject) => prepareObject(o, "shop", "shop").metadata.annotations?.[HASH_ANNOTATION];

describe("the applied hash sees through key order everywhere, not only at the top", () => {
  it("keys written in another order inside list items (containers) hash the same", () => {
    const d = (c: object): KubeObject => ({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web" }, spec: { template: { spec: { containers: [c] } } } });
    expect(hashOf(d({ name: "web", image: "a:1" }))).toBe(hashOf(d({ image: "a:1", name: "web" })));
    expect(hashOf(d({ name: "web", image: "a:1" }))).not.toBe(hashOf(d({ name: "web", image: "a:2" })));
  });
  it("an HPA's metrics written with keys in another order, and in another order, hash the same", () => {
    const hpa = (metrics: unknown[]): KubeObject => ({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "h" }, spec: { minReplicas: 1, metrics } });
    const cpu = { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } };
    const cpuReordered = { resource: { target: { averageUtilization: 70, type: "Utilization" }, name: "cpu" }, type: "Resource" };
    const mem = { type: "Resource", resource: { name: "memory" } };
    expect(hashOf(hpa([cpu, mem]))).toBe(hashOf(hpa([mem, cpuReordered])));
    expect(hashOf(hpa([cpu]))).not.toBe(hashOf(hpa([{ ...cpu, resource: { ...cpu.resource, target: { type: "Utilization", averageUtilization: 80 } } }])));
  });
  it("an HPA without a spec hashes; another kind's spec.metrics keeps its order", () => {
    expect(hashOf({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "h" } })).toMatch(/^[0-9a-f]{16}$/);
    const other = (metrics: unknown[]): KubeObject => ({ apiVersion: "example.com/v1", kind: "Scaler", metadata: { name: "s" }, spec: { metrics } });
    expect(hashOf(other(["a", "b"]))).not.toBe(hashOf(other(["b", "a"])));
  });
  it("an HPA without metrics hashes, and its other fields count", () => {
    const hpa = (min: number): KubeObject => ({ apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: { name: "h" }, spec: { minReplicas: min } });
    expect(hashOf(hpa(1))).toMatch(/^[0-9a-f]{16}$/);
    expect(hashOf(hpa(1))).not.toBe(hashOf(hpa(2)));
  });
});

describe("Secrets: stringData is applied as data", () => {
  it("a Secret written with stringData hashes and applies like the same Secret written as data", () => {
    const asString = prepareObject({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { password: "pw" } }, "shop", "shop");
    const asData = prepareObject({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, data: { password: Buffer.from("pw").toString("base64") } }, "shop", "shop");
    expect(asString).toEqual(asData);
  });
  it("stringData is merged into data and wins over the same key", () => {
    const s = prepareObject({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, data: { user: "YQ==", password: "b2xk" }, stringData: { password: "new", port: 5432 } as any }, "shop", "shop");
    expect(s.data).toEqual({ user: "YQ==", password: Buffer.from("new").toString("base64"), port: Buffer.from("5432").toString("base64") });
    expect("stringData" in s).toBe(false);
  });
  it("another kind with a stringData field is left alone", () => {
    const o = prepareObject({ apiVersion: "example.com/v1", kind: "Vault", metadata: { name: "v" }, stringData: { a: "b" } } as any, "shop", "shop");
    expect(o.stringData).toEqual({ a: "b" });
    expect(o.data).toBeUndefined();
  });
});

describe("prepareObject's metadata", () => {
  it("an object without labels or annotations gets the ownership labels and the hash only", () => {
    const p = prepareObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }, "shop", "ns");
    expect(p.metadata).toEqual({ name: "c", namespace: "ns", labels: { "app.kubernetes.io/managed-by": "devenv", "devenv.dev/env": "shop" }, annotations: { [HASH_ANNOTATION]: expect.stringMatching(/^[0-9a-f]{16}$/) } });
  });
  it("the input object is not changed", () => {
    const input: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", annotations: { a: "1" } } };
    prepareObject(input, "shop", "ns");
    expect(input).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", annotations: { a: "1" } } });
  });
});

describe("contains: what the live object must hold", () => {
  it("a number in the manifests matches the string the server returns (quantities, ports in env)", () => {
    expect(contains("2", 2)).toBe(true);
    expect(contains("3", 2)).toBe(false);
    expect(contains(2, "2")).toBe(false);
  });
  it("a list of maps returned in another order matches, each item used once", () => {
    expect(contains([{ a: 2, x: 1 }, { a: 1, x: 1 }], [{ a: 1 }, { a: 2 }])).toBe(true);
    expect(contains([{ a: 1, b: 1 }, { a: 2 }], [{ a: 1 }, { a: 1 }])).toBe(false);
  });
  it("a list of scalars in another order, of another length, or not a list, does not match", () => {
    expect(contains(["b", "a"], ["a", "b"])).toBe(false);
    expect(contains(["a", "b", "c"], ["a", "b"])).toBe(false);
    expect(contains({ 0: "a" }, ["a"])).toBe(false);
    expect(contains(["a", "b"], ["a", "b"])).toBe(true);
    expect(contains(["x", { a: 1 }], [{ a: 1 }, "x"])).toBe(false);
  });
  it("a map needs a map with every key the desired one sets", () => {
    expect(contains("x", { a: 1 })).toBe(false);
    expect(contains(null, { a: 1 })).toBe(false);
    expect(contains({ a: 1, b: 2 }, { a: 1 })).toBe(true);
    expect(contains({ b: 2 }, { a: 1 })).toBe(false);
    expect(contains({}, {})).toBe(true);
  });
});

describe("firstDifference: the field status names as drift", () => {
  it("a missing key, a changed value deep down, a list item by index when it has no name", () => {
    expect(firstDifference({ spec: {} }, { spec: { replicas: 2 } })).toBe("spec.replicas");
    expect(firstDifference({ spec: { ports: [{ port: 80 }, { port: 81 }] } }, { spec: { ports: [{ port: 80 }, { port: 82 }] } })).toBe("spec.ports[1].port");
  });
  it("unnamed items compare by position, even when an earlier item would match", () => {
    expect(firstDifference({ ports: [{ port: 80 }, { port: 81 }] }, { ports: [{ port: 80 }, { port: 80 }] })).toBe("ports[1].port");
  });
  it("items named by metadata.name are found by name", () => {
    const live = { items: [{ metadata: { name: "b" }, v: 1 }, { metadata: { name: "a" }, v: 1 }] };
    expect(firstDifference(live, { items: [{ metadata: { name: "a" }, v: 2 }, { metadata: { name: "b" }, v: 1 }] })).toBe("items[name=a].v");
  });
  it("only a string name counts as a name; other items go by position", () => {
    expect(firstDifference({ items: [{ metadata: { name: 1 }, v: 1 }] }, { items: [{ metadata: { name: 1 }, v: 2 }] })).toBe("items[0].v");
    expect(firstDifference({ items: [{ name: 7, v: 1 }] }, { items: [{ name: 7, v: 2 }] })).toBe("items[0].v");
  });
  it("a map where the live object holds a plain value is different as a whole", () => {
    expect(firstDifference({ spec: "x" }, { spec: { replicas: 2 } })).toBe("spec");
    expect(firstDifference({ spec: { a: 1 } }, { spec: ["a"] })).toBe("spec");
  });
  it("a list of another length is different as a whole", () => {
    expect(firstDifference({ args: ["a"] }, { args: ["a", "b"] })).toBe("args");
  });
  it("the first of several differences, in the manifests' key order", () => {
    expect(firstDifference({ a: 1, b: 1 }, { b: 2, a: 2 })).toBe("b");
  });
});

describe("isUpToDate needs the same hash on both sides", () => {
  const desired = prepareObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: { app: "c" } }, data: { a: "1" } }, "shop", "shop");
  it("a live object without devenv's hash (made by kubectl apply) is not up to date even when its content matches", () => {
    const live = structuredClone(desired);
    delete live.metadata.annotations![HASH_ANNOTATION];
    expect(isUpToDate(desired, live)).toBe(false);
  });
  it("neither side with a hash: not up to date, even with the same content", () => {
    const d = structuredClone(desired);
    delete d.metadata.annotations![HASH_ANNOTATION];
    expect(isUpToDate(d, structuredClone(d))).toBe(false);
  });
  it("a live object without any annotations is not up to date", () => {
    const live = structuredClone(desired);
    delete live.metadata.annotations;
    expect(isUpToDate(desired, live)).toBe(false);
  });
  it("a desired object without a hash is never up to date", () => {
    const d = structuredClone(desired);
    delete d.metadata.annotations;
    expect(isUpToDate(d, structuredClone(desired))).toBe(false);
  });
  it("an annotation removed by hand, or labels missing, is drift", () => {
    const withNote = prepareObject({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", annotations: { note: "n" } }, data: { a: "1" } }, "shop", "shop");
    const live = structuredClone(withNote);
    delete live.metadata.annotations!.note;
    expect(isUpToDate(withNote, live)).toBe(false);
    const noLabels = structuredClone(desired);
    delete noLabels.metadata.labels;
    expect(isUpToDate(desired, noLabels)).toBe(false);
    expect(isUpToDate(desired, structuredClone(desired))).toBe(true);
  });
  it("live metadata the server adds (uid, resourceVersion, its own annotations) is not drift", () => {
    const live = structuredClone(desired);
    Object.assign(live.metadata, { uid: "u", resourceVersion: "7" });
    live.metadata.annotations!["kubectl.kubernetes.io/last-applied-configuration"] = "{}";
    expect(isUpToDate(desired, live)).toBe(true);
  });
});

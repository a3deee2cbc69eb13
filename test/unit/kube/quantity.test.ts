import { describe, expect, it } from "vitest";
import { canonicalQuantity, canonicalizeQuantities } from "../../../src/kube/quantity.js";
import { contains, firstDifference, isUpToDate, prepareObject } from "../../../src/kube/ownership.js";
import { unknownFieldPaths } from "../../../src/kube/apply.js";
import type { KubeObject } from "../../../src/model/index.js";

describe("canonicalQuantity (apimachinery's CanonicalizeBytes)", () => {
  it.each([
    ["1000m", "1"],
    ["0.5", "500m"],
    ["1024Mi", "1Gi"],
    ["1000", "1k"],
    ["1e3", "1e3"],
    ["1.5Gi", "1536Mi"],
    ["0.5Gi", "512Mi"],
    ["1Ki", "1Ki"],
    ["512", "512"],
    ["1.5", "1500m"],
    ["250m", "250m"],
    ["0", "0"],
    ["0.0000000001", "1n"],
    ["-0.5", "-500m"],
    [2, "2"],
  ])("%s → %s", (q, want) => expect(canonicalQuantity(q)).toBe(want));

  it("is undefined for what is not a quantity", () => {
    expect(canonicalQuantity("lots")).toBeUndefined();
    expect(canonicalQuantity("1Gb")).toBeUndefined();
  });

  it("rewrites the quantity fields only: resources, PVC storage, HPA targets", () => {
    const o = canonicalizeQuantities({
      spec: {
        resources: { requests: { storage: "1024Mi" } },
        metrics: [{ type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "1024Mi" } } }],
        template: { spec: { containers: [{ name: "a", args: ["1000m"], resources: { limits: { cpu: "1000m" } } }] } },
      },
      data: { limits: "1000m" },
    });
    expect(o.spec.resources.requests.storage).toBe("1Gi");
    expect(o.spec.metrics[0]!.resource.target.averageValue).toBe("1Gi");
    expect(o.spec.template.spec.containers[0]!.resources.limits.cpu).toBe("1");
    expect(o.spec.template.spec.containers[0]!.args).toEqual(["1000m"]);
    expect(o.data.limits).toBe("1000m");
  });
});

const hpa = (metrics: string[]): KubeObject => ({
  apiVersion: "autoscaling/v2",
  kind: "HorizontalPodAutoscaler",
  metadata: { name: "h" },
  spec: { metrics: metrics.map((name) => ({ type: "Resource", resource: { name, target: { type: "Utilization", averageUtilization: 70 } } })) },
});

describe("up to date as the server sees it", () => {
  it("the hash does not change with equivalent quantities or reordered HPA metrics", () => {
    const cpu = (v: string): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "a", resources: { limits: { cpu: v } } }] } });
    expect(prepareObject(cpu("1000m"), "e", "ns").metadata.annotations).toEqual(prepareObject(cpu("1"), "e", "ns").metadata.annotations);
    expect(prepareObject(hpa(["cpu", "memory"]), "e", "ns").metadata.annotations).toEqual(prepareObject(hpa(["memory", "cpu"]), "e", "ns").metadata.annotations);
  });

  it("a live HPA whose metrics the server reordered is up to date", () => {
    const desired = prepareObject(hpa(["cpu", "memory"]), "e", "ns");
    const live = structuredClone(desired) as KubeObject & { spec: { metrics: unknown[] } };
    live.spec.metrics.reverse();
    expect(isUpToDate(desired, live)).toBe(true);
  });

  it("lists of maps match as sets, other lists in order", () => {
    expect(contains([{ a: 1, x: 0 }, { b: 2 }], [{ b: 2 }, { a: 1 }])).toBe(true);
    expect(contains([{ a: 1 }, { a: 1 }], [{ a: 1 }, { b: 2 }])).toBe(false);
    expect(contains(["x", "y"], ["y", "x"])).toBe(false);
  });

  it("firstDifference names the field, list items by name", () => {
    const live = { spec: { containers: [{ name: "m", image: "a", command: ["x"], terminationMessagePath: "/dev/termination-log" }] } };
    expect(firstDifference(live, { spec: { containers: [{ name: "m", image: "a", command: ["x", "-v"] }] } })).toBe("spec.containers[name=m].command");
    expect(firstDifference(live, { spec: { containers: [{ name: "m", image: "a" }] } })).toBeUndefined();
  });

  it("reads the unknown fields from both forms of the server's answer", () => {
    expect(unknownFieldPaths('failed to create typed patch object (ns/web; apps/v1, Kind=Deployment): .spec.replicaz: field not declared in schema')).toEqual([".spec.replicaz"]);
    expect(unknownFieldPaths('Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz", unknown field "spec.x"')).toEqual([".spec.replicaz", ".spec.x"]);
  });
});

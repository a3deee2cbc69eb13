// The one pod-template walker, over every workload shape.
import { describe, expect, it } from "vitest";
import { containerImages, containersOf, podSpecOf, podTemplateOf } from "../../../src/kube/pod-spec.js";
import type { KubeObject } from "../../../src/model/index.js";

const spec = (image: string) => ({ initContainers: [{ name: "init", image: `${image}-init` }], containers: [{ name: "main", image }] });
const template = (image: string) => ({ metadata: { labels: { app: image } }, spec: spec(image) });
const objects: KubeObject[] = [
  { apiVersion: "v1", kind: "Pod", metadata: { name: "pod", labels: { app: "pod" } }, spec: spec("pod") },
  ...["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"].map((kind) => ({ apiVersion: "apps/v1", kind, metadata: { name: kind.toLowerCase() }, spec: { template: template(kind.toLowerCase()) } })),
  { apiVersion: "batch/v1", kind: "Job", metadata: { name: "job" }, spec: { template: template("job") } },
  { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "cron" }, spec: { jobTemplate: { spec: { template: template("cron") } } } },
];

describe("pod-spec walker", () => {
  it("finds the pod spec of a Pod, the workloads, a Job and a CronJob's job template", () => {
    expect(objects.map((o) => podSpecOf(o)?.containers[0]?.image)).toEqual(["pod", "deployment", "statefulset", "daemonset", "replicaset", "job", "cron"]);
    expect(objects.map((o) => podTemplateOf(o)?.metadata?.labels?.app)).toEqual(["pod", "deployment", "statefulset", "daemonset", "replicaset", "job", "cron"]);
  });

  it("containers without init by default, init first with init: true", () => {
    const cron = objects.at(-1)!;
    expect(containersOf(cron).map((c) => c.name)).toEqual(["main"]);
    expect(containersOf(cron, { init: true }).map((c) => c.name)).toEqual(["init", "main"]);
  });

  it("has nothing for objects without a pod template", () => {
    const cm: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { image: "x" } };
    expect(podSpecOf(cm)).toBeUndefined();
    expect(containersOf(cm, { init: true })).toEqual([]);
  });

  it("gives the live spec: edits change the object", () => {
    const d = structuredClone(objects[1]!);
    containersOf(d)[0]!.image = "changed";
    expect((d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image).toBe("changed");
  });

  it("lists every image once, in order", () => {
    expect(containerImages([...objects, objects[0]!])).toEqual(objects.flatMap((o) => [`${o.metadata.name}-init`, o.metadata.name]));
  });
});

import { describe, expect, it } from "vitest";
import { describeWaves, planWaves } from "../../../src/kube/waves.js";
import type { KubeObject } from "../../../src/model/index.js";

const o = (kind: string, name: string): KubeObject => ({ apiVersion: "v1", kind, metadata: { name } });
const names = (objects: KubeObject[]) => objects.map((x) => `${x.kind}/${x.metadata.name}`);

describe("planWaves", () => {
  const objects = [o("Ingress", "web"), o("Deployment", "web"), o("Job", "migrate"), o("StatefulSet", "pg"), o("Service", "pg"), o("Secret", "db"), o("ConfigMap", "cfg"), o("Namespace", "shop"), o("Widget", "w"), o("CustomResourceDefinition", "widgets.example.com")];

  it("orders the default waves and splits them into the data and apps phases", () => {
    const waves = planWaves(objects);
    expect(waves.map((w) => [w.name, w.phase, names(w.objects)])).toEqual([
      ["namespaces", "data", ["Namespace/shop", "CustomResourceDefinition/widgets.example.com"]],
      ["config", "data", ["ConfigMap/cfg", "Secret/db", "Service/pg"]],
      ["data", "data", ["StatefulSet/pg"]],
      ["jobs", "apps", ["Job/migrate"]],
      ["apps", "apps", ["Deployment/web"]],
      ["expose", "apps", ["Ingress/web", "Widget/w"]],
    ]);
  });

  it("order hints push an object after the ones it names", () => {
    const waves = planWaves(objects, { "statefulset/pg": { after: ["job/migrate"] }, "deployment/web": { after: ["statefulset/pg"] } });
    expect(waves.map((w) => `${w.name}:${names(w.objects).join(",")}`)).toEqual([
      "namespaces:Namespace/shop,CustomResourceDefinition/widgets.example.com",
      "config:ConfigMap/cfg,Secret/db,Service/pg",
      "jobs:Job/migrate",
      "apps:StatefulSet/pg",
      "expose:Deployment/web,Ingress/web,Widget/w",
    ]);
  });

  it("a seed's migration Job runs in the data phase, before seeding", () => {
    const waves = planWaves(objects, { "job/migrate": { after: ["statefulset/pg"] }, "deployment/web": { after: ["job/migrate"] } }, { migrationJobs: ["migrate"] });
    expect(waves.map((w) => [w.name, w.phase, names(w.objects)])).toEqual([
      ["namespaces", "data", ["Namespace/shop", "CustomResourceDefinition/widgets.example.com"]],
      ["config", "data", ["ConfigMap/cfg", "Secret/db", "Service/pg"]],
      ["data", "data", ["StatefulSet/pg"]],
      ["migrations", "data", ["Job/migrate"]],
      ["apps", "apps", ["Deployment/web"]],
      ["expose", "apps", ["Ingress/web", "Widget/w"]],
    ]);
  });

  it("rejects hints naming objects that do not exist, and cycles", () => {
    expect(() => planWaves(objects, { "job/nope": { after: ["statefulset/pg"] } })).toThrow('order hint for "job/nope", which is not in the manifests');
    expect(() => planWaves(objects, { "job/migrate": { after: ["statefulset/missing"] } })).toThrow('"job/migrate" is ordered after "statefulset/missing"');
    expect(() => planWaves(objects, { "job/migrate": { after: ["deployment/web"] }, "deployment/web": { after: ["job/migrate"] } })).toThrow("order hints form a cycle");
  });

  it("describes the waves for --dry-run", () => {
    expect(describeWaves(planWaves([o("StatefulSet", "pg"), o("Job", "migrate")]))).toEqual(["data: StatefulSet/pg → wait until ready", "jobs: Job/migrate → wait until complete/ready"]);
  });
});

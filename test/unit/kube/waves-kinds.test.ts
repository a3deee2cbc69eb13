// Where each kind lands in the apply waves, and what `up` waits for: the cases a real
// application's manifests hit (a PVC before the database, RBAC before the pods that use it).
import { describe, expect, it } from "vitest";
import { describeWaves, planWaves, WAITED_KINDS } from "../../../src/kube/waves.js";
import type { KubeObject } from "../../../src/model/index.js";

const o = (kind: string, name: string): KubeObject => ({ apiVersion: "v1", kind, metadata: { name } });
const waveOf = (objects: KubeObject[], ref: string, order: Record<string, { after: string[] }> = {}) =>
  planWaves(objects, order).find((w) => w.objects.some((x) => `${x.kind}/${x.metadata.name}` === ref))?.name;

describe("default waves by kind", () => {
  it.each(["ServiceAccount", "Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding", "PersistentVolumeClaim", "PersistentVolume", "StorageClass", "ConfigMap", "Secret", "Service"])(
    "%s is applied with the config, before the database and the apps",
    (kind) => {
      const objects = [o(kind, "k"), o("StatefulSet", "pg"), o("Deployment", "web")];
      const waves = planWaves(objects);
      expect(waves.map((w) => w.name)).toEqual(["config", "data", "apps"]);
      expect(waves[0]!.objects.map((x) => x.kind)).toEqual([kind]);
      expect(waves[0]!.phase).toBe("data");
    },
  );
  it.each(["Deployment", "DaemonSet", "ReplicaSet", "Pod"])("%s rolls out with the apps, after the Jobs and before the Ingress", (kind) => {
    const waves = planWaves([o("Ingress", "web"), o(kind, "k"), o("Job", "j")]);
    expect(waves.map((w) => [w.name, w.phase, w.objects.map((x) => x.kind)])).toEqual([
      ["jobs", "apps", ["Job"]],
      ["apps", "apps", [kind]],
      ["expose", "apps", ["Ingress"]],
    ]);
  });
  it("a CronJob goes with the Jobs and is not waited for", () => {
    const waves = planWaves([o("CronJob", "nightly")]);
    expect(waves.map((w) => w.name)).toEqual(["jobs"]);
    expect(describeWaves(waves)).toEqual(["jobs: CronJob/nightly"]);
  });
  it("inside the config wave, the ServiceAccount comes before the RoleBinding and the Service", () => {
    const waves = planWaves([o("Service", "web"), o("RoleBinding", "rb"), o("ServiceAccount", "sa"), o("ConfigMap", "c")]);
    expect(waves[0]!.objects.map((x) => x.kind)).toEqual(["ConfigMap", "ServiceAccount", "RoleBinding", "Service"]);
  });
});

describe("what a wave waits for", () => {
  it("the workload kinds are waited on, config is not", () => {
    for (const kind of ["StatefulSet", "Deployment", "DaemonSet", "Job", "Pod"]) expect(WAITED_KINDS.has(kind)).toBe(true);
    for (const kind of ["ConfigMap", "Service", "Ingress", "ReplicaSet"]) expect(WAITED_KINDS.has(kind)).toBe(false);
  });
  it("--dry-run says the apps wave waits for its Deployments and DaemonSets", () => {
    expect(describeWaves(planWaves([o("Deployment", "web")]))).toEqual(["apps: Deployment/web → wait until ready"]);
    expect(describeWaves(planWaves([o("DaemonSet", "agent"), o("Pod", "debug")]))).toEqual(["apps: DaemonSet/agent, Pod/debug → wait until ready"]);
    expect(describeWaves(planWaves([o("ConfigMap", "c")]))).toEqual(["config: ConfigMap/c"]);
  });
});

describe("order hints with several `after` entries", () => {
  const objects = [o("ConfigMap", "cfg"), o("StatefulSet", "pg"), o("Job", "migrate"), o("Deployment", "web"), o("Deployment", "worker")];
  it("an object waits for the latest of the objects it names, whatever the order they are listed in", () => {
    expect(waveOf(objects, "ConfigMap/cfg", { "configmap/cfg": { after: ["job/migrate", "statefulset/pg"] } })).toBe("apps");
    expect(waveOf(objects, "ConfigMap/cfg", { "configmap/cfg": { after: ["statefulset/pg", "job/migrate"] } })).toBe("apps");
  });
  it("a Deployment after another Deployment and the database lands one wave after the later one", () => {
    const waves = planWaves(objects, { "deployment/worker": { after: ["statefulset/pg", "deployment/web"] } });
    expect(waves.map((w) => [w.name, w.objects.map((x) => x.metadata.name)])).toEqual([
      ["config", ["cfg"]],
      ["data", ["pg"]],
      ["jobs", ["migrate"]],
      ["apps", ["web"]],
      ["expose", ["worker"]],
    ]);
  });
  it("hints are case-insensitive and never move an object earlier than its default wave", () => {
    expect(waveOf(objects, "Deployment/web", { "Deployment/web": { after: ["ConfigMap/cfg"] } })).toBe("apps");
  });
  it("pushing past the last default wave makes a numbered wave in the apps phase", () => {
    const waves = planWaves([o("Ingress", "a"), o("Ingress", "b")], { "ingress/b": { after: ["ingress/a"] } });
    expect(waves.map((w) => [w.name, w.phase, w.objects.map((x) => x.metadata.name)])).toEqual([
      ["expose", "apps", ["a"]],
      ["wave 8", "apps", ["b"]],
    ]);
  });
});

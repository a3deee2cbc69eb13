// Order hints a user writes in devenv.ts, and what `up` / `--dry-run` make of them: the
// error they get for a wrong name (where, and which names exist), migrations picked by
// name, and the wait line of a wave that mixes Jobs and apps.
import { describe, expect, it } from "vitest";
import { describeWaves, planWaves } from "../../../src/kube/waves.js";
import type { KubeObject } from "../../../src/model/index.js";
import { thrown } from "../../helpers/errors.js";

const o = (kind: string, name: string, namespace?: string): KubeObject => ({ apiVersion: "v1", kind, metadata: { name, ...(namespace ? { namespace } : {}) } });

describe("a hint naming an object that is not in the manifests", () => {
  const objects = Array.from({ length: 10 }, (_, i) => o("ConfigMap", `c${i}`));
  it("says which hint, where in devenv.ts, and lists (up to 8) names that exist; exit 2", () => {
    const e = thrown(() => planWaves(objects, { "job/nope": { after: ["configmap/c0"] } }));
    expect(e.message).toBe('order hint for "job/nope", which is not in the manifests');
    expect(e.where).toBe("order.job/nope");
    expect(e.hint).toBe("name an object as kind/name, one of: configmap/c0, configmap/c1, configmap/c2, configmap/c3, configmap/c4, configmap/c5, configmap/c6, configmap/c7");
    expect(e.exitCode).toBe(2);
  });
  it("an `after` entry that does not exist is reported at the hint's after list", () => {
    const e = thrown(() => planWaves(objects, { "configmap/c1": { after: ["configmap/c0", "statefulset/pg"] } }));
    expect(e.message).toBe('"configmap/c1" is ordered after "statefulset/pg", which is not in the manifests');
    expect(e.where).toBe("order.configmap/c1.after");
    expect(e.hint).toBe("name an object as kind/name, e.g. statefulset/postgres");
    expect(e.exitCode).toBe(2);
  });
  it("a cycle names the objects in it and says how to break it", () => {
    const e = thrown(() => planWaves(objects, { "configmap/c0": { after: ["configmap/c1"] }, "configmap/c1": { after: ["configmap/c2"] }, "configmap/c2": { after: ["configmap/c0"] } }));
    expect(e.message).toBe("order hints form a cycle: configmap/c0 → configmap/c1 → configmap/c2 → configmap/c0");
    expect(e.where).toBe("order");
    expect(e.hint).toBe("remove one of the `after` entries that point back at each other");
    expect(e.exitCode).toBe(2);
  });
  it("a long chain of hints (as long as the manifests) is not mistaken for a cycle", () => {
    const chain = Array.from({ length: 6 }, (_, i) => o("ConfigMap", `k${i}`));
    const order = Object.fromEntries(chain.slice(1).reverse().map((x, j) => [`configmap/${x.metadata.name}`, { after: [`configmap/k${4 - j}`] }]));
    const waves = planWaves(chain, order);
    expect(waves.map((w) => w.objects.map((x) => x.metadata.name))).toEqual([["k0"], ["k1"], ["k2"], ["k3"], ["k4"], ["k5"]]);
  });
});

describe("migration Jobs named by seeds", () => {
  it("are matched whatever the case they are written in, and only those Jobs move", () => {
    const waves = planWaves([o("Job", "migrate"), o("Job", "report")], {}, { migrationJobs: ["Migrate"] });
    expect(waves.map((w) => [w.name, w.phase, w.objects.map((x) => x.metadata.name)])).toEqual([
      ["migrations", "data", ["migrate"]],
      ["jobs", "apps", ["report"]],
    ]);
  });
  it("a migration name that matches no Job changes nothing", () => {
    expect(planWaves([o("Job", "report")], {}, { migrationJobs: ["migrate"] }).map((w) => w.name)).toEqual(["jobs"]);
  });
  it("a Deployment named like the migration is not a migration", () => {
    expect(planWaves([o("Deployment", "migrate")], {}, { migrationJobs: ["migrate"] }).map((w) => w.name)).toEqual(["apps"]);
  });
});

describe("objects with the same kind/name (in two namespaces)", () => {
  it("move together, in the manifests' order", () => {
    const waves = planWaves([o("Deployment", "web", "a"), o("ConfigMap", "cfg"), o("Deployment", "web", "b")], { "deployment/web": { after: ["configmap/cfg"] } });
    expect(waves.map((w) => [w.name, w.objects.map((x) => x.metadata.namespace ?? "-")])).toEqual([
      ["config", ["-"]],
      ["apps", ["a", "b"]],
    ]);
  });
});

describe("--dry-run's wait line", () => {
  it("separate Job and apps waves each say what they wait for", () => {
    expect(describeWaves(planWaves([o("Deployment", "web"), o("Job", "warm")]))).toEqual(["jobs: Job/warm → wait until complete/ready", "apps: Deployment/web → wait until ready"]);
  });
  it("a Job pushed into the same wave as a Deployment makes that wave wait until complete/ready", () => {
    const waves = planWaves([o("Deployment", "web"), o("Job", "warm"), o("Deployment", "api")], { "job/warm": { after: ["deployment/api"] }, "deployment/web": { after: ["deployment/api"] } });
    expect(describeWaves(waves)).toEqual(["apps: Deployment/api → wait until ready", "expose: Job/warm, Deployment/web → wait until complete/ready"]);
  });
  it("a wave of only unwaited kinds has no wait", () => {
    expect(describeWaves(planWaves([o("Ingress", "web"), o("NetworkPolicy", "np")]))).toEqual(["expose: Ingress/web, NetworkPolicy/np"]);
  });
});

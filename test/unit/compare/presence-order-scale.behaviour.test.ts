// compare-compose rules service.*, container.extra, workload.missing, order.missing,
// replicas.mismatch, resources.mismatch and hpa.no-requests (docs/compare-compose.md, Rules):
// one small compose ↔ manifests pair per case, asserting what the user reads.
import { describe, expect, it } from "vitest";
import { compareYaml, yamlStream as all } from "./compare-yaml.js";
import type { CompareOptions } from "../../../src/compare/compare.js";

const findings = (compose: string, manifests: string, opts: CompareOptions = {}, rule?: string) =>
  compareYaml(compose, manifests, opts)
    .findings.filter((f) => !f.ignored && (!rule || f.rule.startsWith(rule)))
    .map((f) => `${f.severity} ${f.rule} ${f.service}: ${f.message}`);
const passed = (compose: string, manifests: string, service: string, opts: CompareOptions = {}) => compareYaml(compose, manifests, opts).services.find((s) => s.service === service)?.passed ?? [];

const workload = (kind: string, name: string, containers: string, extra = "", podExtra = "") => `
apiVersion: ${kind === "Job" ? "batch/v1" : kind === "Pod" ? "v1" : "apps/v1"}
kind: ${kind}
metadata: { name: ${name} }
${
  kind === "Pod"
    ? `metadata: { name: ${name}, labels: { app: ${name} } }\nspec:\n  ${podExtra}\n  containers:\n${containers}`
    : `spec:\n  ${extra}\n  selector: { matchLabels: { app: ${name} } }\n  template:\n    metadata: { labels: { app: ${name} } }\n    spec:\n      ${podExtra}\n      containers:\n${containers}`
}`;
const c = (name: string, image: string, more = "") => `        - { name: ${name}, image: ${image}${more ? `, ${more}` : ""} }`;
const deploy = (name: string, image: string, more = "", extra = "") => workload("Deployment", name, c(name, image, more), extra);
const job = (name: string, image: string, podExtra = "restartPolicy: Never") => workload("Job", name, c(name, image), "", podExtra);

describe("service.missing and service.kind", () => {
  it("a one-shot service without a Job says so", () => {
    expect(findings("services:\n  migrate: { image: m, restart: 'no' }\n", "", {}, "service")).toEqual(['error service.missing migrate: one-shot service "migrate" has no Job in the manifests']);
  });
  it("a long-running service played by a Job, or by a run-once Pod", () => {
    expect(findings("services:\n  api: { image: a }\n", job("api", "a"), {}, "service")).toEqual(['warning service.kind api: "api" keeps running in compose but is a Job in Kubernetes']);
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: { name: api, labels: { app: api } }\nspec:\n  restartPolicy: Never\n  containers:\n    - { name: api, image: a }\n`;
    expect(findings("services:\n  api: { image: a }\n", pod, {}, "service")).toEqual(['warning service.kind api: "api" keeps running in compose but is a run-once Pod in Kubernetes']);
  });
  it("a one-shot service played by a run-once Pod or a CronJob is fine", () => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: { name: seed, labels: { app: seed } }\nspec:\n  restartPolicy: OnFailure\n  containers:\n    - { name: seed, image: s }\n`;
    expect(findings("services:\n  seed: { image: s, restart: 'no' }\n", pod, {}, "service")).toEqual([]);
    const cron = `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: seed }\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - { name: seed, image: s }\n`;
    expect(findings("services:\n  seed: { image: s, restart: 'no' }\n", cron, {}, "service")).toEqual([]);
  });
  it("a service others wait for with service_completed_successfully is one-shot too", () => {
    const compose = "services:\n  migrate: { image: m }\n  api: { image: a, depends_on: { migrate: { condition: service_completed_successfully } } }\n";
    expect(findings(compose, all(deploy("migrate", "m"), deploy("api", "a")), {}, "service")).toEqual(['warning service.kind migrate: "migrate" runs once in compose but is a Deployment in Kubernetes (restarted forever)']);
  });
  it("the passed line names the workload, and how it was matched unless by name", () => {
    expect(passed("services:\n  api: { image: a }\n", deploy("api", "a"), "api")).toContain("Deployment/api");
    expect(passed("services:\n  web: { image: a }\n", deploy("frontend", "a"), "web", { map: { web: "frontend" } })).toContain("Deployment/frontend (matched by map)");
  });
});

describe("container.extra and workload.missing", () => {
  it("a sidecar only the cluster runs is a note naming it and its image, once per workload", () => {
    const k8s = workload("Deployment", "api", [c("api", "a"), c("envoy", "envoyproxy/envoy:v1"), "        - { name: noimg }"].join("\n"));
    expect(findings("services:\n  api: { image: a }\n", k8s, {}, "container")).toEqual([
      'info container.extra api: Deployment/api also runs container "envoy" (envoyproxy/envoy:v1), which plays no compose service',
      'info container.extra api: Deployment/api also runs container "noimg" (no image), which plays no compose service',
    ]);
  });
  it("two compose services played by two containers of one pod: no extra", () => {
    const k8s = workload("Deployment", "api", [c("api", "a"), c("worker", "w")].join("\n"));
    expect(findings("services:\n  api: { image: a }\n  worker: { image: w }\n", k8s, {}, "container")).toEqual([]);
  });
  it("every workload no service plays is listed", () => {
    expect(findings("services:\n  api: { image: a }\n", all(deploy("api", "a"), deploy("metrics", "m"), job("backup", "b")), {}, "workload")).toEqual([
      "warning workload.missing metrics: Deployment/metrics has no compose service",
      "warning workload.missing backup: Job/backup has no compose service",
    ]);
  });
});

describe("order.missing", () => {
  const compose = (dependant = "api") => `services:\n  migrate: { image: m, restart: 'no' }\n  ${dependant}: { image: a, depends_on: { migrate: { condition: service_completed_successfully } } }\n`;
  it("a Deployment after a Job is kept in order by devenv's waves", () => {
    expect(findings(compose(), all(job("migrate", "m"), deploy("api", "a")), {}, "order")).toEqual([]);
    expect(passed(compose(), all(job("migrate", "m"), deploy("api", "a")), "api")).toContain("runs after Job/migrate (devenv waves: Jobs complete before apps)");
  });
  it("a StatefulSet is not: it needs an order entry or an initContainer, and the hint writes the entry", () => {
    const sts = workload("StatefulSet", "api", c("api", "a"), "serviceName: api");
    const r = compareYaml(compose(), all(job("migrate", "m"), sts));
    const f = r.findings.find((x) => x.rule === "order.missing")!;
    expect(f.message).toBe('compose starts "api" only after "migrate" completed; nothing orders StatefulSet/api after Job/migrate');
    expect(f.hint).toBe('run "migrate" as a Job and order StatefulSet/api after it: devenv.ts order: { "statefulset/api": { after: ["job/migrate"] } }, or an initContainer that waits for it');
    expect(findings(compose(), all(job("migrate", "m"), sts), { order: { "statefulset/api": { after: ["Job/Migrate".toLowerCase()] } } }, "order")).toEqual([]);
    expect(passed(compose(), all(job("migrate", "m"), sts), "api", { order: { "statefulset/api": { after: ["job/migrate"] } } })).toContain("runs after Job/migrate (devenv order)");
  });
  it("an order entry for another Job does not count", () => {
    const sts = workload("StatefulSet", "api", c("api", "a"), "serviceName: api");
    expect(findings(compose(), all(job("migrate", "m"), job("other", "o"), sts), { order: { "statefulset/api": { after: ["job/other"] } } }, "order")).toHaveLength(1);
  });
  it("an initContainer that waits for the Job orders it", () => {
    const sts = workload("StatefulSet", "api", c("api", "a"), "serviceName: api", "initContainers: [{ name: wait, image: k, args: [wait, --for=condition=complete, job/migrate] }]");
    expect(passed(compose(), all(job("migrate", "m"), sts), "api")).toContain("runs after Job/migrate (initContainer)");
  });
  it("the migration as a Deployment: nothing waits for it to complete", () => {
    expect(findings(compose(), all(deploy("migrate", "m"), deploy("api", "a")), { ignore: ["service.kind"] }, "order")).toEqual([
      'error order.missing api: compose starts "api" only after "migrate" completed; Deployment/migrate is not a Job, so nothing waits for it to complete',
    ]);
  });
  it("no workload for the migration at all", () => {
    const r = compareYaml(compose(), deploy("api", "a"));
    const f = r.findings.find((x) => x.rule === "order.missing")!;
    expect(f.message).toBe('compose starts "api" only after "migrate" completed; there is no Job for "migrate"');
    expect(f.hint).toContain('after: ["job/migrate"]');
  });
  it("service_started and service_healthy are not about completion", () => {
    const c2 = "services:\n  db: { image: d }\n  api: { image: a, depends_on: { db: { condition: service_healthy } } }\n";
    expect(findings(c2, all(deploy("db", "d"), deploy("api", "a")), {}, "order")).toEqual([]);
  });
});

describe("replicas.mismatch", () => {
  it("compose's deploy.replicas against the workload's replicas; no deploy.replicas means 1", () => {
    expect(findings("services:\n  api: { image: a, deploy: { replicas: 3 } }\n", deploy("api", "a", "", "replicas: 2"), {}, "replicas")).toEqual(["warning replicas.mismatch api: replicas: compose 3 ≠ k8s 2"]);
    expect(findings("services:\n  api: { image: a }\n", deploy("api", "a", "", "replicas: 2"), {}, "replicas")).toEqual(["warning replicas.mismatch api: replicas: compose 1 ≠ k8s 2"]);
    expect(passed("services:\n  api: { image: a, deploy: { replicas: 2 } }\n", deploy("api", "a", "", "replicas: 2"), "api")).toContain("replicas 2");
  });
  it("with an HPA, any count within min–max is equal; outside it is drift, shown as the range", () => {
    const hpa = (min: number | undefined, max: number) => `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: api }\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }\n${min === undefined ? "" : `  minReplicas: ${min}\n`}  maxReplicas: ${max}\n`;
    const k8s = (min: number | undefined, max: number) => all(deploy("api", "a", "resources: { requests: { cpu: 100m } }", "replicas: 2"), hpa(min, max));
    for (const n of [2, 3, 5]) expect(findings(`services:\n  api: { image: a, deploy: { replicas: ${n} } }\n`, k8s(2, 5), {}, "replicas"), String(n)).toEqual([]);
    expect(passed("services:\n  api: { image: a, deploy: { replicas: 3 } }\n", k8s(2, 5), "api")).toContain("replicas 3 (HPA 2-5)");
    expect(findings("services:\n  api: { image: a, deploy: { replicas: 6 } }\n", k8s(2, 5), {}, "replicas")).toEqual(["warning replicas.mismatch api: replicas: compose 6 ≠ k8s HPA 2-5"]);
    expect(findings("services:\n  api: { image: a }\n", k8s(2, 5), {}, "replicas")).toEqual(["warning replicas.mismatch api: replicas: compose 1 ≠ k8s HPA 2-5"]);
    expect(findings("services:\n  api: { image: a }\n", k8s(undefined, 4), {}, "replicas")).toEqual([]);
  });
  it("an HPA for another workload, or of another kind, does not count", () => {
    const other = `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: x }\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: StatefulSet, name: api }\n  minReplicas: 1\n  maxReplicas: 9\n`;
    expect(findings("services:\n  api: { image: a, deploy: { replicas: 4 } }\n", all(deploy("api", "a", "", "replicas: 2"), other), {}, "replicas")).toEqual(["warning replicas.mismatch api: replicas: compose 4 ≠ k8s 2"]);
  });
  it("the finding carries both values for --json", () => {
    const f = compareYaml("services:\n  api: { image: a, deploy: { replicas: 3 } }\n", deploy("api", "a", "", "replicas: 2")).findings.find((x) => x.rule === "replicas.mismatch");
    expect(f).toMatchObject({ compose: "3", k8s: "2", workload: "Deployment/api" });
  });
});

describe("resources.mismatch", () => {
  const compose = (res: string) => `services:\n  api:\n    image: a\n    deploy:\n      resources: ${res}\n`;
  it("equal limits and reservations by value, whatever the unit", () => {
    const k8s = deploy("api", "a", "resources: { limits: { cpu: 500m, memory: 512Mi }, requests: { cpu: '0.25', memory: 128Mi } }");
    expect(findings(compose("{ limits: { cpus: '0.5', memory: 512m }, reservations: { cpus: '0.25', memory: 128M } }"), k8s, {}, "resources")).toEqual([]);
    expect(passed(compose("{ limits: { cpus: '0.5', memory: 512m }, reservations: { cpus: '0.25', memory: 128M } }"), k8s, "api")).toEqual(expect.arrayContaining(["limits cpu 500m, memory 512Mi", "reservations cpu 250m, memory 128Mi"]));
  });
  it("a different CPU or memory limit names both values", () => {
    const k8s = deploy("api", "a", "resources: { limits: { cpu: '1', memory: 1Gi } }");
    expect(findings(compose("{ limits: { cpus: '0.5', memory: 512m } }"), k8s, {}, "resources")).toEqual(["warning resources.mismatch api: limits: cpu 500m ≠ 1, memory 512Mi ≠ 1Gi (compose ≠ k8s)"]);
  });
  it("a limit compose sets and the container does not is (none)", () => {
    expect(findings(compose("{ limits: { cpus: '2' } }"), deploy("api", "a"), {}, "resources")).toEqual(["warning resources.mismatch api: limits: cpu 2 ≠ (none) (compose ≠ k8s)"]);
    expect(findings(compose("{ reservations: { memory: 64m } }"), deploy("api", "a", "resources: { limits: { memory: 64Mi } }"), {}, "resources")).toEqual(["warning resources.mismatch api: reservations ↔ requests: memory 64Mi ≠ (none) (compose ≠ k8s)"]);
  });
  it("only one of the two differing: the other is not listed", () => {
    const k8s = deploy("api", "a", "resources: { limits: { cpu: 500m, memory: 1Gi } }");
    expect(findings(compose("{ limits: { cpus: '0.5', memory: 512m } }"), k8s, {}, "resources")).toEqual(["warning resources.mismatch api: limits: memory 512Mi ≠ 1Gi (compose ≠ k8s)"]);
  });
  it("no compose resources: nothing to compare, nothing said", () => {
    expect(findings("services:\n  api: { image: a }\n", deploy("api", "a", "resources: { limits: { cpu: '1' } }"), {}, "resources")).toEqual([]);
    expect(passed("services:\n  api: { image: a }\n", deploy("api", "a", "resources: { limits: { cpu: '1' } }"), "api").filter((p) => p.startsWith("limits") || p.startsWith("reservations"))).toEqual([]);
  });
});

describe("hpa.no-requests", () => {
  const hpa = (spec: string) => `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: api-hpa }\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }\n  minReplicas: 1\n  maxReplicas: 3\n${spec}`;
  const compose = "services:\n  api: { image: a }\n";
  const k8s = (containerMore: string, hpaSpec: string) => all(deploy("api", "a", containerMore), hpa(hpaSpec));
  it("an HPA without metrics scales on CPU: a container without a cpu request is named", () => {
    expect(findings(compose, k8s("", ""), {}, "hpa")).toEqual(["warning hpa.no-requests api: HorizontalPodAutoscaler/api-hpa scales Deployment/api on utilization, but api has no cpu request (the HPA cannot compute it and never scales)"]);
    expect(findings(compose, k8s("resources: { requests: { cpu: 100m } }", ""), {}, "hpa")).toEqual([]);
    expect(passed(compose, k8s("resources: { requests: { cpu: 100m } }", ""), "api")).toContain("HPA api-hpa: requests set for its metrics");
  });
  it("autoscaling/v1's targetCPUUtilizationPercentage is CPU", () => {
    expect(findings(compose, k8s("resources: { requests: { memory: 1Gi } }", "  targetCPUUtilizationPercentage: 70\n"), {}, "hpa")).toHaveLength(1);
  });
  it("Utilization metrics on memory need memory requests; AverageValue targets need none", () => {
    const mem = "  metrics:\n    - { type: Resource, resource: { name: memory, target: { type: Utilization, averageUtilization: 70 } } }\n";
    expect(findings(compose, k8s("resources: { requests: { cpu: 100m } }", mem), {}, "hpa")).toEqual([expect.stringContaining("but api has no memory request")]);
    const avg = "  metrics:\n    - { type: Resource, resource: { name: cpu, target: { type: AverageValue, averageValue: 100m } } }\n";
    expect(findings(compose, k8s("", avg), {}, "hpa")).toEqual([]);
  });
  it("ContainerResource metrics count; other metric types do not", () => {
    const cr = "  metrics:\n    - { type: ContainerResource, containerResource: { name: cpu, container: api, target: { type: Utilization, averageUtilization: 60 } } }\n    - { type: Pods, pods: { metric: { name: rps }, target: { type: AverageValue, averageValue: '10' } } }\n";
    expect(findings(compose, k8s("", cr), {}, "hpa")).toEqual([expect.stringContaining("but api has no cpu request")]);
  });
  it("every container of the target needs the request, each named", () => {
    const two = all(workload("Deployment", "api", [c("api", "a", "resources: { requests: { cpu: 1 } }"), c("side", "s")].join("\n")), hpa(""));
    expect(findings(compose, two, {}, "hpa")).toEqual([expect.stringContaining("but side has no cpu request (the HPA")]);
  });
});

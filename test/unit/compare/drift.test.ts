// Drift a user would want compare-compose to catch: scale and resources, a Secret's value
// under a harmless name, and pairing by name or label even when images differ.
import { describe, expect, it } from "vitest";
import { compareYaml } from "./compare-yaml.js";

const lines = (r: ReturnType<typeof compareYaml>, rule?: string) => r.findings.filter((f) => !f.ignored && (!rule || f.rule === rule)).map((f) => `${f.severity} ${f.rule} ${f.service}: ${f.message}`);

const deploy = (name: string, container: string, extra = "", labels = `app: ${name}`) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  selector: { matchLabels: { ${labels} } }
${extra}
  template:
    metadata: { labels: { ${labels} } }
    spec:
      containers:
        - ${container}
`;

describe("replicas.mismatch", () => {
  it("compose replicas differing from the workload's", () => {
    const r = compareYaml("services:\n  api: { image: a/api, deploy: { replicas: 2 } }\n", deploy("api", "{ name: api, image: a/api }", "  replicas: 3"));
    expect(lines(r, "replicas.mismatch")).toEqual(["warning replicas.mismatch api: replicas: compose 2 ≠ k8s 3"]);
    expect(r.findings.find((f) => f.rule === "replicas.mismatch")).toMatchObject({ compose: "2", k8s: "3" });
  });
  it("no deploy.replicas in compose means 1", () => {
    expect(lines(compareYaml("services:\n  api: { image: a/api }\n", deploy("api", "{ name: api, image: a/api }", "  replicas: 2"), {}), "replicas.mismatch")).toEqual(["warning replicas.mismatch api: replicas: compose 1 ≠ k8s 2"]);
    const same = compareYaml("services:\n  api: { image: a/api }\n", deploy("api", "{ name: api, image: a/api }", "  replicas: 1"));
    expect(lines(same, "replicas.mismatch")).toEqual([]);
    expect(same.services[0]!.passed).toContain("replicas 1");
  });
  it("with an HPA, compose replicas must fall within its range", () => {
    const hpa = "---\napiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: api }\nspec: { scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }, minReplicas: 2, maxReplicas: 5, metrics: [] }\n";
    const k8s = deploy("api", "{ name: api, image: a/api }", "  replicas: 2") + hpa;
    expect(lines(compareYaml("services:\n  api: { image: a/api, deploy: { replicas: 4 } }\n", k8s), "replicas.mismatch")).toEqual([]);
    expect(lines(compareYaml("services:\n  api: { image: a/api, deploy: { replicas: 5 } }\n", k8s), "replicas.mismatch")).toEqual([]);
    expect(lines(compareYaml("services:\n  api: { image: a/api, deploy: { replicas: 6 } }\n", k8s), "replicas.mismatch")).toEqual(["warning replicas.mismatch api: replicas: compose 6 ≠ k8s HPA 2-5"]);
    expect(lines(compareYaml("services:\n  api: { image: a/api, deploy: { replicas: 1 } }\n", k8s), "replicas.mismatch")).toEqual(["warning replicas.mismatch api: replicas: compose 1 ≠ k8s HPA 2-5"]);
  });
});

describe("resources.mismatch", () => {
  const compose = (cpus: string, memory = "512M") => `services:\n  api:\n    image: a/api\n    deploy: { resources: { limits: { cpus: "${cpus}", memory: ${memory} } } }\n`;
  const k8s = (cpu: string, memory: string) => deploy("api", `{ name: api, image: a/api, resources: { limits: { cpu: "${cpu}", memory: "${memory}" } } }`);
  it("CPU drift is reported with both values", () => {
    expect(lines(compareYaml(compose("0.5", "512m"), k8s("250m", "512Mi")), "resources.mismatch")).toEqual(["warning resources.mismatch api: limits: cpu 500m ≠ 250m (compose ≠ k8s)"]);
  });
  it("equal CPU written differently is equal", () => {
    const r = compareYaml(compose("0.5", "512m"), k8s("500m", "512Mi"));
    expect(lines(r, "resources.mismatch")).toEqual([]);
    expect(r.services[0]!.passed).toContain("limits cpu 500m, memory 512Mi");
  });
  it("memory drift, and compose's binary units (512m is 512Mi)", () => {
    expect(lines(compareYaml(compose("1", "512m"), k8s("1", "500Mi")), "resources.mismatch")).toEqual(["warning resources.mismatch api: limits: memory 512Mi ≠ 500Mi (compose ≠ k8s)"]);
    expect(lines(compareYaml(compose("1", "512M"), k8s("1", "512Mi")), "resources.mismatch")).toEqual([]);
  });
  it("a limit only compose sets is drift", () => {
    const r = compareYaml(compose("1", "1g"), deploy("api", "{ name: api, image: a/api }"));
    expect(lines(r, "resources.mismatch")).toEqual(["warning resources.mismatch api: limits: cpu 1 ≠ (none), memory 1Gi ≠ (none) (compose ≠ k8s)"]);
  });
});

describe("a Secret's value is never printed", () => {
  const secret = "apiVersion: v1\nkind: Secret\nmetadata: { name: app }\nstringData: { greeting: hello-from-k8s }\n---\n";
  const k8s = secret + deploy("api", "{ name: api, image: a/api, env: [{ name: GREETING, valueFrom: { secretKeyRef: { name: app, key: greeting } } }] }");
  it("even under a harmless variable name, on both sides", () => {
    const r = compareYaml("services:\n  api: { image: a/api, environment: { GREETING: hello-from-compose } }\n", k8s);
    const [f] = r.findings.filter((x) => x.rule === "env.value");
    expect(f).toBeDefined();
    expect(JSON.stringify(r.findings)).not.toMatch(/hello-from/);
    expect(f!.message).toContain("(secret values differ)");
    expect(f).toMatchObject({ compose: "***", k8s: "***" });
  });
  it("a variable missing in k8s that compose sets is shown unless it looks secret", () => {
    const r = compareYaml("services:\n  api: { image: a/api, environment: { MODE: fast, DB_PASSWORD: hunter2-hunter2 } }\n", deploy("api", "{ name: api, image: a/api }"));
    const msgs = lines(r, "env.missing").join("\n");
    expect(msgs).toContain('MODE is set in compose ("fast")');
    expect(msgs).not.toContain("hunter2");
  });
});

describe("pairing by name and label, not only by image", () => {
  it("a workload labelled for the service wins over one that merely runs its image", () => {
    const k8s = [deploy("frontend", "{ name: c, image: shop/other:1 }", "", "app.kubernetes.io/name: web"), deploy("copy", "{ name: c, image: shop/web:1 }", "", "tier: x")].join("\n---\n");
    const r = compareYaml("services:\n  web: { image: shop/web:1 }\n", k8s);
    expect(r.services[0]).toMatchObject({ service: "web", workload: "Deployment/frontend", matchedBy: "label" });
    expect(lines(r)).toEqual(["warning workload.missing copy: Deployment/copy has no compose service", "error image.mismatch web: image: compose shop/web:1 ≠ k8s shop/other:1"]);
  });
  it("a workload named like the service wins over one that runs its image", () => {
    const k8s = [deploy("web", "{ name: c, image: shop/other:1 }", "", "tier: a"), deploy("copy", "{ name: c, image: shop/web:1 }", "", "tier: b")].join("\n---\n");
    const r = compareYaml("services:\n  web: { image: shop/web:1 }\n", k8s);
    expect(r.services[0]).toMatchObject({ workload: "Deployment/web", matchedBy: "name" });
  });
  it("the app label and the component label pair too", () => {
    const k8s = [deploy("a1", "{ name: c, image: x/one }", "", "app: one"), deploy("a2", "{ name: c, image: x/two }", "", "app.kubernetes.io/component: two")].join("\n---\n");
    const r = compareYaml("services:\n  one: { image: y/1 }\n  two: { image: y/2 }\n", k8s);
    expect(r.services.map((s) => [s.service, s.workload, s.matchedBy])).toEqual([
      ["one", "Deployment/a1", "label"],
      ["two", "Deployment/a2", "label"],
    ]);
  });
});

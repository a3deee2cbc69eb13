// What the rules look up about a workload (src/compare/context.ts), seen in the report: only a
// Service gives pods a DNS name, only an HPA targeting that very workload sets its replica range.
// Compared inside `it` (per-test mutation coverage sees nothing computed at collection time).
import { describe, expect, it } from "vitest";
import { compareYaml, deployment, yamlStream } from "./compare-yaml.js";

const scaled = (compose: string, k8s: string) => {
  const r = compareYaml(compose, k8s);
  return { mismatches: r.findings.filter((f) => f.rule === "replicas.mismatch").map((f) => `${f.service}: ${f.message}`), passed: (s: string) => r.services.find((x) => x.service === s)?.passed ?? [] };
};
const hpa = (target: string, extra = "minReplicas: 1\n  maxReplicas: 2") => `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: ${target}-hpa }\nspec:\n  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ${target} }\n  ${extra}\n`;

describe("the Service of a workload", () => {
  it("a legacy ReplicationController selecting the same pods does not give them its name", () => {
    const k8s = yamlStream(
      "apiVersion: v1\nkind: ReplicationController\nmetadata: { name: api-legacy }\nspec:\n  replicas: 0\n  selector: { app: api }\n",
      "apiVersion: v1\nkind: Service\nmetadata: { name: api-svc }\nspec:\n  selector: { app: api }\n  ports: [{ port: 8080 }]\n",
      deployment("api", "{ name: api, image: a, ports: [{ containerPort: 8080 }] }"),
      deployment("web", '{ name: web, image: w, env: [{ name: API_URL, value: "http://api-svc:8080" }] }'),
    );
    const r = compareYaml("services:\n  api: { image: a, expose: [\"8080\"] }\n  web:\n    image: w\n    environment: { API_URL: \"http://api:8080\" }\n", k8s);
    expect(r.findings.filter((f) => f.variable === "API_URL")).toEqual([]);
    expect(r.services.find((s) => s.service === "web")?.passed).toContain("env: 1 variable equal");
  });
});

describe("the HPA of a workload", () => {
  it("only an HorizontalPodAutoscaler sets the range: a KEDA ScaledObject with a scaleTargetRef does not", () => {
    const keda = "apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: { name: web-scaler }\nspec:\n  scaleTargetRef: { kind: Deployment, name: web }\n  minReplicaCount: 1\n  maxReplicaCount: 5\n";
    const s = scaled("services:\n  web: { image: w, deploy: { replicas: 2 } }\n", yamlStream(deployment("web", "{ name: web, image: w }").replace("spec:\n  selector", "spec:\n  replicas: 2\n  selector"), keda));
    expect(s.mismatches).toEqual([]);
    expect(s.passed("web")).toContain("replicas 2");
  });
  it("the HPA of another Deployment does not set this one's range", () => {
    const withReplicas = (name: string, n: number) => deployment(name, `{ name: ${name}, image: ${name} }`).replace("spec:\n  selector", `spec:\n  replicas: ${n}\n  selector`);
    const s = scaled("services:\n  api: { image: api }\n  worker: { image: worker, deploy: { replicas: 3 } }\n", yamlStream(withReplicas("api", 1), withReplicas("worker", 3), hpa("api")));
    expect(s.mismatches).toEqual([]);
    expect(s.passed("worker")).toContain("replicas 3");
    expect(s.passed("api")).toContain("replicas 1 (HPA 1-2)");
  });
  it("an HPA not yet pointing at anything (no scaleTargetRef) is left out rather than failing the comparison", () => {
    const broken = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: half-written }\nspec:\n  maxReplicas: 4\n";
    const s = scaled("services:\n  web: { image: w }\n", yamlStream(deployment("web", "{ name: web, image: w }"), broken));
    expect(s.passed("web")).toContain("replicas 1");
  });
});

// The workloads compare-compose reads (src/compare/workloads.ts), seen in the report: a
// StatefulSet's replicas are compared, a Service selects only pods holding its whole selector.
// Compared inside `it` (per-test mutation coverage sees nothing computed at collection time).
import { describe, expect, it } from "vitest";
import { compareYaml, workload, yamlStream } from "./compare-yaml.js";

const deploy = (name: string, labels: string, container: string) => workload(name, `[${container}]`, { labels });

describe("workloads", () => {
  it("a StatefulSet's replicas are compared with deploy.replicas", () => {
    const sts = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: db }\nspec:\n  replicas: 3\n  serviceName: db\n  selector: { matchLabels: { app: db } }\n  template:\n    metadata: { labels: { app: db } }\n    spec:\n      containers:\n        - { name: db, image: postgres:16 }\n";
    const r = compareYaml("services:\n  db: { image: postgres:16 }\n", sts);
    expect(r.findings.filter((f) => f.rule === "replicas.mismatch").map((f) => f.message)).toEqual(["replicas: compose 1 ≠ k8s 3"]);
  });
  it("a Service pairs a service with the pods holding its whole selector, not with pods sharing one label", () => {
    const k8s = yamlStream(
      deploy("shop-api", "app: shop, tier: api", "{ name: main, image: x }"),
      deploy("shop-web", "app: shop, tier: web", "{ name: main, image: y }"),
      "apiVersion: v1\nkind: Service\nmetadata: { name: frontend }\nspec:\n  selector: { app: shop, tier: web }\n  ports: [{ port: 80 }]\n",
    );
    const r = compareYaml("services:\n  frontend: { image: z }\n", k8s);
    expect(r.services.find((s) => s.service === "frontend")).toMatchObject({ workload: "Deployment/shop-web", matchedBy: "service" });
  });
});

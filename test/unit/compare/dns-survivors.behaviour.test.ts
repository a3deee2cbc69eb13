// Host names compared by what they resolve to (src/compare/dns.ts), seen as env.value findings:
// a StatefulSet pod name is `<name>-N.<service>`, and a host in another namespace is not ours.
// Compared inside `it` (per-test mutation coverage sees nothing computed at collection time).
import { describe, expect, it } from "vitest";
import { compareYaml, deployment, yamlStream } from "./compare-yaml.js";

const dbHost = (k8sValue: string) => {
  const k8s = yamlStream(
    "apiVersion: v1\nkind: Service\nmetadata: { name: db }\nspec:\n  clusterIP: None\n  selector: { app: db }\n  ports: [{ port: 5432 }]\n",
    deployment("db", "{ name: db, image: postgres:16, ports: [{ containerPort: 5432 }] }"),
    deployment("api", `{ name: api, image: a, env: [{ name: DB_HOST, value: "${k8sValue}" }] }`),
  );
  return compareYaml("services:\n  db: { image: postgres:16, expose: [\"5432\"] }\n  api:\n    image: a\n    environment: { DB_HOST: db }\n", k8s).findings.filter((f) => f.rule === "env.value" && f.variable === "DB_HOST");
};

describe("host names of the same Service", () => {
  it("a StatefulSet pod of the Service (db-0.db) is the same host as db", () => {
    expect(dbHost("db-0.db")).toEqual([]);
  });
  it("a name with a number inside it (db-0-replica.db) is not a pod of db", () => {
    expect(dbHost("db-0-replica.db")).toHaveLength(1);
  });
  it("a pod in another namespace (db-0.db.other) is not the local db", () => {
    expect(dbHost("db-0.db.other")).toHaveLength(1);
    expect(dbHost("db-0.db.default")).toEqual([]);
  });
});

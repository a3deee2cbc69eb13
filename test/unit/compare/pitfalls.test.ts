// The seeded pitfalls (../shared/seeds): each one planted in test/fixtures/compare/pitfalls,
// each expected as exactly one finding; the equivalences (short name ≡ FQDN) as none.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { loadManifests } from "../../../src/kube/manifests.js";

const dir = fileURLToPath(new URL("../../fixtures/compare/pitfalls", import.meta.url));

async function run(opts: Parameters<typeof compareStacks>[2] = {}) {
  const project = loadCompose({ files: [`${dir}/compose.yml`], env: {} });
  return compareStacks(project, await loadManifests([`${dir}/k8s`]), opts);
}

describe("compare-compose on the seeded pitfalls", () => {
  it("finds exactly the planted drift", async () => {
    const r = await run();
    const got = r.findings.map((f) => `${f.severity} ${f.rule} ${f.service}${f.variable ? ` ${f.variable}` : ""}`).sort();
    expect(got).toEqual(
      [
        "error env.unexpanded-ref backend DATABASE_URL", // $(POSTGRES_USER) declared after use
        "warning env.secret-in-plain backend SECRET_KEY", // secret in a ConfigMap
        "error volume.rwx-needed backend", // uploads shared by backend + worker, RWO
        "error order.missing backend", // compose runs migrate first; no Job does it here
        "error service.missing migrate",
        "error health.mismatch data-collector", // Dockerfile HEALTHCHECK /health vs probe /api/v1/health
        "error port.mismatch frontend", // 3000 vs 3001
        "info env.extra postgres", // the whole Secret is envFrom'd into postgres
      ].sort(),
    );
    expect(r.equivalent).toBe(false);
    expect(r.summary).toMatchObject({ services: 7, errors: 6, warnings: 1, infos: 1, ignored: 0 });
    expect(r.findings.find((f) => f.rule === "order.missing")!.message).toBe('compose starts "backend" only after "migrate" completed; there is no Job for "migrate"');
  });

  it("treats DATA_COLLECTOR_URL short name ≡ FQDN, and postgres ≡ postgres-0.postgres... ≡ postgres.agentforge.svc as equal", async () => {
    const r = await run();
    expect(r.findings.filter((f) => f.variable === "DATA_COLLECTOR_URL")).toEqual([]);
    expect(r.findings.filter((f) => f.service === "data-collector").map((f) => f.rule)).toEqual(["health.mismatch"]);
    expect(r.services.find((s) => s.service === "backend")!.passed).toContain("env: 4 variables equal");
  });

  it("names the two sides of each drift, never printing secret values", async () => {
    const r = await run();
    const health = r.findings.find((f) => f.rule === "health.mismatch")!;
    expect(health).toMatchObject({ compose: "GET :8001/health", k8s: "GET :8001/api/v1/health", workload: "Deployment/data-collector" });
    const port = r.findings.find((f) => f.rule === "port.mismatch")!;
    expect(port.message).toBe("compose listens on 3000, k8s on 3001");
    expect(port.where).toMatch(/pitfalls\/k8s\/apps\.yaml:81:\d+$/); // the frontend container's ports field
    expect(port.composeWhere).toMatch(/pitfalls\/compose\.yml:\d+:\d+$/); // and the compose ports entry
    const text = JSON.stringify(r);
    for (const secret of ["dev-password", "dev-secret-key"]) expect(text).not.toContain(secret);
  });

  it("honours ignores: rule ids, families, per service and env.NAME", async () => {
    const r = await run({ ignore: ["port.mismatch"], ignoreFor: { backend: ["order", "env.DATABASE_URL", "env.SECRET_KEY", "volume.rwx-needed"], "data-collector": ["health.mismatch"], migrate: ["service"] } });
    expect(r.findings.filter((f) => !f.ignored).map((f) => f.rule)).toEqual(["env.extra"]);
    expect(r.summary.ignored).toBe(7);
    expect(r.equivalent).toBe(true);
  });

  it("with a migrate Job: devenv's waves order a Deployment after it; a StatefulSet needs devenv.ts order", async () => {
    const project = loadCompose({ files: [`${dir}/compose.yml`], env: {} });
    const objects = await loadManifests([`${dir}/k8s`]);
    const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "migrate" }, spec: { template: { spec: { containers: [{ name: "migrate", image: "agentforge/backend:1", args: ["alembic", "upgrade", "head"], env: [{ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "agentforge-secrets", key: "DATABASE_URL" } } }] }] } } } };
    const r = compareStacks(project, [...objects, job]);
    expect(r.findings.filter((f) => f.service === "migrate" || f.rule === "order.missing")).toEqual([]);
    expect(r.services.find((s) => s.service === "backend")!.passed).toContain("runs after Job/migrate (devenv waves: Jobs complete before apps)");

    const asStatefulSet = objects.map((o) => (o.metadata.name === "backend" && o.kind === "Deployment" ? { ...o, kind: "StatefulSet" } : o));
    const r2 = compareStacks(project, [...asStatefulSet, job]);
    expect(r2.findings.filter((f) => f.rule === "order.missing").map((f) => f.message)).toEqual(['compose starts "backend" only after "migrate" completed; nothing orders StatefulSet/backend after Job/migrate']);
    const r3 = compareStacks(project, [...asStatefulSet, job], { order: { "statefulset/backend": { after: ["job/migrate"] } } });
    expect(r3.services.find((s) => s.service === "backend")!.passed).toContain("runs after Job/migrate (devenv order)");
  });
});

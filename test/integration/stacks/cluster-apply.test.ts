// The cluster side of both stacks against the in-process test API server, with client-node for
// real: render-manifests (real `kubectl kustomize`), apply-data and apply-apps, in waves. It
// checks the order of the writes (namespace and config, StatefulSets, AgentForge's migration Job,
// the apps, then Ingress/HPA/PDB/NetworkPolicy), the CodeBeaker RWX PVC on class `nfs-client`, the
// content-tagged images, and that a second run writes nothing. Seeding is left out: no Postgres
// stands behind the test api.server().
import { beforeAll, describe, expect, it } from "vitest";
import type { UpContext } from "../../../src/up/context.js";
import { applyStack, useTestApiServer } from "./stack-harness.js";

const api = useTestApiServer();

/** Position of the first write of kind(/name) among the stack's writes. */
function writeOrder(ns: string) {
  const writes = api.server().writes.filter((w) => w.verb === "apply" && (w.namespace === ns || (w.kind === "Namespace" && w.name === ns)) && !(w.kind === "ConfigMap" && w.name.startsWith("devenv-")));
  const at = (kind: string, name?: string) => {
    const i = writes.findIndex((w) => w.kind === kind && (name === undefined || w.name === name));
    if (i < 0) throw new Error(`no write of ${kind}${name ? `/${name}` : ""} in: ${writes.map((w) => `${w.kind}/${w.name}`).join(", ")}`);
    return i;
  };
  const last = (kind: string) => writes.map((w) => w.kind).lastIndexOf(kind);
  return { writes, at, last };
}

describe("AgentForge on the test API server", () => {
  let ctx: UpContext;
  beforeAll(async () => {
    ({ ctx } = await api.stack(["devenv.ts", "compose", "fixtures/agentforge"], "devenv.ts"));
    api.server().clearWrites();
    await applyStack(api.server(), ctx);
  });

  it("applies namespace and config first, then StatefulSets, the migrate Job, the apps, and exposure last", () => {
    const { writes, at, last } = writeOrder("agentforge");
    expect(at("Namespace")).toBe(0);
    const firstWorkload = at("StatefulSet");
    for (const k of ["ConfigMap", "Secret", "Service"]) expect(last(k), k).toBeLessThan(firstWorkload);
    expect(at("StatefulSet", "postgres")).toBeLessThan(at("Job", "migrate"));
    expect(at("Job", "migrate")).toBeLessThan(at("Deployment", "backend"));
    expect(at("StatefulSet", "redis")).toBeLessThan(at("Deployment", "backend"));
    const lastWorkload = Math.max(last("Deployment"), last("StatefulSet"), last("Job"));
    for (const k of ["Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget", "NetworkPolicy"]) expect(at(k), k).toBeGreaterThan(lastWorkload);
    expect(writes.every((w) => w.fieldManager === "devenv")).toBe(true);
  });

  it("runs the content-tagged images and the dev Secrets devenv.ts declares", () => {
    const backend = api.server().get("apps/v1", "Deployment", "agentforge", "backend")!;
    expect(backend.spec.template.spec.containers[0].image).toBe("agentforge/backend:devenv-0123456789ab");
    expect(api.server().get("batch/v1", "Job", "agentforge", "migrate")!.spec.template.spec.containers[0].image).toBe("agentforge/backend:devenv-0123456789ab");
    const secret = api.server().get("v1", "Secret", "agentforge", "agentforge-secrets")!;
    expect(Buffer.from(secret.data.DATABASE_URL, "base64").toString()).toBe("postgresql://agentforge:agentforge-dev-password@postgres:5432/agentforge");
    const ingress = api.server().get("networking.k8s.io/v1", "Ingress", "agentforge", "agentforge")!;
    expect(ingress.spec.rules.flatMap((r: any) => r.http.paths.map((p: any) => p.path)).sort()).toEqual(["/", "/api/", "/ws/"]);
  });

  it("a second run writes nothing", async () => {
    api.server().clearWrites();
    await applyStack(api.server(), ctx);
    expect(api.server().changes()).toEqual([]);
  });
});

describe("CodeBeaker on the test API server", () => {
  beforeAll(async () => {
    const { ctx } = await api.stack(["fixtures/codebeaker"], "fixtures/codebeaker/devenv.ts");
    api.server().clearWrites();
    await applyStack(api.server(), ctx);
  });

  it("applies the config and the RWX PVC before the Deployments, HPAs last", () => {
    const { at, last } = writeOrder("codebeaker");
    expect(at("Namespace")).toBe(0);
    expect(at("PersistentVolumeClaim")).toBeLessThan(at("Deployment"));
    expect(last("ConfigMap")).toBeLessThan(at("Deployment"));
    expect(at("HorizontalPodAutoscaler")).toBeGreaterThan(last("Deployment"));
  });

  it("the shared volume is a ReadWriteMany PVC on storageClassName nfs-client, mounted by api and worker", () => {
    const [pvc] = api.server().list("v1", "PersistentVolumeClaim", "codebeaker");
    expect(pvc!.spec).toMatchObject({ accessModes: ["ReadWriteMany"], storageClassName: "nfs-client" });
    for (const name of ["codebeaker-api", "codebeaker-worker"]) {
      const d = api.server().get("apps/v1", "Deployment", "codebeaker", name)!;
      expect(d.spec.template.spec.volumes.map((v: any) => v.persistentVolumeClaim?.claimName)).toContain(pvc!.metadata.name);
      expect(d.spec.template.spec.containers[0].image).toMatch(/^codebeaker\/(api|worker):devenv-0123456789ab$/);
    }
  });
});

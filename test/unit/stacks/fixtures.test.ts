// The stacks as files: every kustomize overlay renders with the real kubectl, the manifests
// carry what the seeds require, and the devenv.ts files load and validate.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { loadEnv } from "../../../src/config/load.js";
import { repoRoot } from "../../helpers/cli.js";

const render = (dir: string) =>
  parseAllDocuments(execFileSync("kubectl", ["kustomize", join(repoRoot, dir)], { encoding: "utf8" })).map((d) => d.toJS() as any);
const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);

describe("kustomize overlays render", () => {
  for (const stack of ["codebeaker", "agentforge"]) {
    for (const overlay of ["base", "overlays/dev", "overlays/prod"]) {
      it(`${stack} ${overlay}`, () => {
        const objs = render(`fixtures/${stack}/k8s/${overlay}`);
        expect(objs.length).toBeGreaterThan(5);
        for (const o of objs.filter((x) => x.kind !== "Namespace")) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe(stack);
      });
    }
  }
});

describe("CodeBeaker manifests", () => {
  const dev = render("fixtures/codebeaker/k8s/overlays/dev");
  it("share one ReadWriteMany PVC on the nfs-client class between api and worker", () => {
    expect(find(dev, "PersistentVolumeClaim", "codebeaker-data").spec).toMatchObject({ accessModes: ["ReadWriteMany"], storageClassName: "nfs-client" });
    for (const d of ["codebeaker-api", "codebeaker-worker"]) expect(find(dev, "Deployment", d).spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe("codebeaker-data");
  });
  it("configure the five ConfigMap keys, and HPAs 2-10 / 3-20 in base", () => {
    expect(Object.keys(find(dev, "ConfigMap", "codebeaker-config").data).sort()).toEqual(["EXECUTION_MEMORY_LIMIT_MB", "EXECUTION_TIMEOUT_SECONDS", "QUEUE_BASE_DIR", "STORAGE_BASE_DIR", "WORKER_CONCURRENCY"]);
    const base = render("fixtures/codebeaker/k8s/base");
    expect(find(base, "HorizontalPodAutoscaler", "codebeaker-api").spec).toMatchObject({ minReplicas: 2, maxReplicas: 10 });
    expect(find(base, "HorizontalPodAutoscaler", "codebeaker-worker").spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });
  });
});

describe("AgentForge manifests", () => {
  const dev = render("fixtures/agentforge/k8s/overlays/dev");
  const prod = render("fixtures/agentforge/k8s/overlays/prod");
  it("route /, /api/ and /ws/ with cookie affinity on the nginx class", () => {
    const ing = find(dev, "Ingress", "agentforge");
    expect(ing.spec.ingressClassName).toBe("nginx");
    expect(ing.metadata.annotations["nginx.ingress.kubernetes.io/affinity"]).toBe("cookie");
    const paths = Object.fromEntries(ing.spec.rules[0].http.paths.map((p: any) => [p.path, p.backend.service.name]));
    expect(paths).toEqual({ "/": "frontend", "/api/": "backend", "/ws/": "backend" });
  });
  it("never put $(VAR) references into env values of containers that do not declare VAR", () => {
    for (const o of dev.filter((x) => x.spec?.template?.spec?.containers)) {
      for (const c of o.spec.template.spec.containers) {
        const declared = new Set((c.env ?? []).map((e: any) => e.name));
        for (const ref of JSON.stringify([c.env ?? [], c.args ?? [], c.command ?? []]).matchAll(/\$\(([A-Z_]+)\)/g)) expect(declared.has(ref[1]), `${o.metadata.name}: $(${ref[1]})`).toBe(true);
      }
    }
  });
  it("ship no Secret (devenv generates it) and keep the Grafana dashboard in its own ConfigMap (prod)", () => {
    expect(dev.filter((o) => o.kind === "Secret")).toEqual([]);
    const dash = prod.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("grafana-dashboard-agentforge"));
    expect(Object.keys(dash.data)).toEqual(["agentforge.json"]);
  });
  it("have PDBs for backend and frontend, an HPA 2-5 in base, and the migration Job", () => {
    expect(find(dev, "PodDisruptionBudget", "backend").spec.minAvailable).toBe(1);
    expect(find(dev, "PodDisruptionBudget", "frontend").spec.minAvailable).toBe(1);
    expect(find(render("fixtures/agentforge/k8s/base"), "HorizontalPodAutoscaler", "backend").spec).toMatchObject({ minReplicas: 2, maxReplicas: 5 });
    expect(find(dev, "Job", "migrate").spec.template.spec.containers[0].command).toEqual(["node", "migrate.js"]);
  });
});

describe("devenv.ts files", () => {
  it("AgentForge has one definition, the root devenv.ts, pointing into fixtures/agentforge and compose/", async () => {
    expect(existsSync(join(repoRoot, "fixtures/agentforge/devenv.ts"))).toBe(false);
    const env = await loadEnv("devenv.ts", repoRoot);
    expect([env.root, env.namespace]).toEqual([resolve(repoRoot), "agentforge"]);
    for (const img of Object.values(env.config.images)) expect(img.context).toBe("fixtures/agentforge/services");
    expect(env.config.manifests).toMatchObject({ kustomize: "fixtures/agentforge/k8s/overlays/dev" });
    expect(env.config.compose).toMatchObject({ files: ["compose/docker-compose.yml"], envFile: "compose/.env.example" });
    expect(env.config.seeds.postgres.app!.sql).toBe("fixtures/agentforge/seed/postgres");
    expect(env.config.seeds.redis.cache!.fixtures).toBe("fixtures/agentforge/seed/redis");
  });
  it("codebeaker loads", async () => {
    expect((await loadEnv("fixtures/codebeaker/devenv.ts", repoRoot)).namespace).toBe("codebeaker");
  });
});

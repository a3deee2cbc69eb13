// One small compose ↔ manifests pair per rule, asserting the exact findings.
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks, type CompareOptions } from "../../../src/compare/compare.js";
import { parseManifests } from "../../../src/kube/manifests.js";
import { writeFiles } from "../compose/write-files.js";

function compare(compose: string, manifests: string, opts: CompareOptions = {}) {
  const dir = writeFiles({ "compose.yml": compose });
  const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
  const r = compareStacks(project, parseManifests(manifests, "test.yaml"), opts);
  return r.findings.filter((f) => !f.ignored).map((f) => `${f.severity} ${f.rule} ${f.service}: ${f.message}`);
}

const deploy = (name: string, container: string, extra = "", labels = `app: ${name}`) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  selector: { matchLabels: { ${labels} } }
  template:
    metadata: { labels: { ${labels} } }
    spec:
      containers:
        - ${container}
${extra}`;

describe("compare rules", () => {
  it("service.missing, workload.missing and service.kind", () => {
    const compose = "services:\n  api: { image: a/api }\n  gone: { image: a/gone }\n  once: { image: a/once, restart: 'no' }\n";
    const k8s = [deploy("api", "{ name: api, image: a/api }"), deploy("once", "{ name: once, image: a/once }"), deploy("extra", "{ name: x, image: a/x }")].join("\n---\n");
    expect(compare(compose, k8s)).toEqual([
      'error service.missing gone: service "gone" has no workload in the manifests',
      'warning service.kind once: "once" runs once in compose but is a Deployment in Kubernetes (restarted forever)',
      "warning workload.missing extra: Deployment/extra has no compose service",
    ]);
  });

  it("matches by label, image and devenv.ts map; image.mismatch names both sides", () => {
    const compose = "services:\n  web: { image: shop/web:1 }\n  cache: { image: redis:7 }\n  db: { image: postgres:16 }\n";
    const k8s = [
      deploy("shop-frontend", "{ name: c, image: shop/web:1 }", "", "app.kubernetes.io/name: web"),
      deploy("kv", "{ name: c, image: docker.io/library/redis:7 }"),
      deploy("database", "{ name: c, image: mysql:8 }"),
    ].join("\n---\n");
    expect(compare(compose, k8s, { map: { db: "database" } })).toEqual(["error image.mismatch db: image: compose postgres:16 ≠ k8s mysql:8"]);
  });

  it("build context ↔ the devenv.ts image built from it", () => {
    const compose = "services:\n  api: { build: ./api }\n";
    const dir = writeFiles({ "compose.yml": compose });
    const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
    const objs = parseManifests(deploy("api", "{ name: api, image: registry.local/team/api-server:3 }"), "t.yaml");
    expect(compareStacks(project, objs, { images: [{ repository: "registry.local/team/api-server", context: `${dir}/api`, dockerfile: "Dockerfile" }] }).findings).toEqual([]);
    expect(compareStacks(project, objs).findings.map((f) => `${f.severity} ${f.rule}`)).toEqual(["warning image.mismatch"]);
  });

  it("command.mismatch: entrypoint ↔ command, command ↔ args, $(VAR) in args expanded", () => {
    const compose = "services:\n  a: { image: x, entrypoint: [run], command: serve --port 80 }\n  b: { image: y, command: [serve, --token, abc] }\n";
    const k8s = [
      deploy("a", "{ name: a, image: x, command: [run], args: [serve, --port, '81'] }"),
      deploy("b", "{ name: b, image: y, env: [{ name: T, value: abc }], args: [serve, --token, $(T)] }"),
    ].join("\n---\n");
    expect(compare(compose, k8s).filter((f) => f.includes("command"))).toEqual(['error command.mismatch a: command ↔ args: compose ["serve","--port","80"] ≠ k8s ["serve","--port","81"]']);
  });

  it("ports: containerPort drift, a Service targeting a port no container declares, no Service", () => {
    const compose = "services:\n  a: { image: x, ports: ['8080:80'] }\n  b: { image: y, expose: ['9000'] }\n";
    const k8s = [
      deploy("a", "{ name: a, image: x, ports: [{ containerPort: 80 }] }"),
      "apiVersion: v1\nkind: Service\nmetadata: { name: a }\nspec: { selector: { app: a }, ports: [{ port: 80, targetPort: 8080 }] }",
      deploy("b", "{ name: b, image: y, ports: [{ containerPort: 9000 }] }"),
    ].join("\n---\n");
    expect(compare(compose, k8s)).toEqual([
      "warning port.undeclared a: Service/a port 80 → targetPort 8080, which no container declares (declared: 80) and compose neither publishes nor exposes: Kubernetes forwards it anyway, so it reaches the pod only if the process listens there",
      'warning port.no-service b: no Service selects the pods of Deployment/b, so "b:9000" does not resolve in the cluster',
    ]);
  });

  it("health: same endpoint, different path, different kind, missing probe", () => {
    const hc = (t: string) => `{ test: ${t} }`;
    const compose = `services:
  same: { image: a, healthcheck: ${hc('["CMD", "wget", "-qO-", "http://127.0.0.1:8080/ready?full=1"]')} }
  path: { image: b, healthcheck: ${hc('"curl -f http://localhost:80/health"')} }
  kind: { image: c, healthcheck: ${hc('"pg_isready"')} }
  none: { image: d, healthcheck: ${hc('"true"')} }
  off: { image: e, healthcheck: { disable: true } }
`;
    const k8s = [
      deploy("same", "{ name: same, image: a, ports: [{ name: web, containerPort: 8080 }], readinessProbe: { httpGet: { path: /ready, port: web } } }"),
      deploy("path", "{ name: path, image: b, livenessProbe: { httpGet: { path: /api/v1/health, port: 80 } } }"),
      deploy("kind", "{ name: kind, image: c, readinessProbe: { tcpSocket: { port: 5432 } } }"),
      deploy("none", "{ name: none, image: d }"),
      deploy("off", "{ name: off, image: e }"),
    ].join("\n---\n");
    expect(compare(compose, k8s)).toEqual([
      "error health.mismatch path: the compose healthcheck checks GET :80/health, the probe checks GET :80/api/v1/health",
      "warning health.mismatch kind: the compose healthcheck checks `pg_isready`, the probe checks TCP :5432",
      "warning health.missing none: the compose healthcheck checks `true`, but Deployment/none has no readiness/liveness probe",
    ]);
  });

  it("volumes: missing mount, emptyDir for a named volume, bind mounts as info, RWX via replicas", () => {
    const compose = "services:\n  a: { image: x, volumes: [data:/data, cache:/cache, ./src:/app] }\n  b: { image: y, volumes: [files:/files], deploy: { replicas: 2 } }\nvolumes: { data: {}, cache: {}, files: {} }\n";
    const k8s = [
      deploy("a", "{ name: a, image: x, volumeMounts: [{ name: c, mountPath: /cache }] }", "      volumes: [{ name: c, emptyDir: {} }]"),
      deploy("b", "{ name: b, image: y, volumeMounts: [{ name: f, mountPath: /files/ }] }", "      volumes: [{ name: f, persistentVolumeClaim: { claimName: files } }]").replace("selector:", "replicas: 2\n  selector:"),
      "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: files }\nspec: { accessModes: [ReadWriteOnce] }",
    ].join("\n---\n");
    expect(compare(compose, k8s).filter((f) => f.includes("volume"))).toEqual([
      'error volume.missing a: named volume "data" is mounted at /data in compose, but Deployment/a mounts nothing there',
      'warning volume.not-persistent a: /cache is an emptyDir in Deployment/a; compose keeps it in named volume "cache"',
      expect.stringMatching(/^info volume\.bind-mount a: bind mount \(dev only\): \/.*\/src → \/app$/),
      'error volume.rwx-needed b: volume "files" is shared by b (2 containers), but PersistentVolumeClaim/files is ReadWriteOnce',
    ]);
  });

  it("replicas (with HPA range) and resources", () => {
    const compose = `services:
  a: { image: x, deploy: { replicas: 3, resources: { limits: { cpus: "0.5", memory: 512m }, reservations: { memory: 128M } } } }
  b: { image: y, deploy: { replicas: 2 } }
`;
    const k8s = [
      deploy("a", "{ name: a, image: x, resources: { limits: { cpu: 500m, memory: 1Gi }, requests: { memory: 128Mi } } }").replace("selector:", "replicas: 3\n  selector:"),
      deploy("b", "{ name: b, image: y }"),
      "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: b }\nspec: { scaleTargetRef: { kind: Deployment, name: b }, minReplicas: 2, maxReplicas: 5 }",
    ].join("\n---\n");
    expect(compare(compose, k8s)).toEqual([
      "warning resources.mismatch a: limits: memory 512Mi ≠ 1Gi (compose ≠ k8s)",
      "warning hpa.no-requests b: HorizontalPodAutoscaler/b scales Deployment/b on utilization, but b has no cpu request (the HPA cannot compute it and never scales)",
    ]);
  });

  it("hpa.no-requests: every container of an HPA target needs requests for the HPA's Utilization metrics", () => {
    const compose = "services:\n  w: { image: w }\n  ok: { image: o }\n";
    const hpa = (name: string, metrics: string) =>
      `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: { name: ${name} }\nspec: { scaleTargetRef: { kind: Deployment, name: ${name} }, minReplicas: 1, maxReplicas: 3, metrics: ${metrics} }`;
    const util = (r: string) => `{ type: Resource, resource: { name: ${r}, target: { type: Utilization, averageUtilization: 70 } } }`;
    const k8s = [
      deploy("w", "{ name: w, image: w, resources: { requests: { cpu: 100m } } }"),
      hpa("w", `[${util("cpu")}, ${util("memory")}]`),
      deploy("ok", "{ name: ok, image: o, resources: { requests: { memory: 64Mi } } }"),
      // An AverageValue target is an absolute quantity: no request needed.
      hpa("ok", `[${util("memory")}, { type: Resource, resource: { name: cpu, target: { type: AverageValue, averageValue: 100m } } }]`),
    ].join("\n---\n");
    expect(compare(compose, k8s)).toEqual([
      "warning hpa.no-requests w: HorizontalPodAutoscaler/w scales Deployment/w on utilization, but w has no memory request (the HPA cannot compute it and never scales)",
    ]);
  });
});

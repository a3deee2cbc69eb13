// The answers a real API server gives that devenv must explain (issue 14): an unknown field
// under fieldValidation=Strict, a namespace being deleted, an immutable StatefulSet field; and
// the test API server modelling them (canonical quantities, asynchronous namespace deletion).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeRest } from "../../../src/kube/rest.js";
import { applyWith } from "../../../src/kube/apply.js";
import { parseManifests } from "../../../src/kube/manifests.js";
import type { KubeApiServer } from "../../helpers/kube-api-server/index.js";
import { serverWithRest } from "./fixtures.js";

let server: KubeApiServer;
let rest: KubeRest;
beforeAll(async () => {
  ({ server, rest } = await serverWithRest());
});
afterAll(async () => server?.close());

const deployment = (extra = "") => `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data: { A: "1" }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
${extra}  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: web:1
          resources: { limits: { cpu: 1000m, memory: 1024Mi } }
`;

const raw = (path: string, body: unknown, query: Record<string, string>) =>
  rest.request("PATCH", path, { body, contentType: "application/apply-patch+yaml", query: { fieldManager: "t", ...query } }).then(
    (x) => ({ ok: x }),
    (e: { status: { code: number; message: string } }) => ({ code: e.status.code, message: e.status.message }),
  );

describe("the test API server as a real one", () => {
  it("stores quantities canonically: 1000m → 1, 1024Mi → 1Gi, 0.5 → 500m", async () => {
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "q" } });
    const [, d] = parseManifests(deployment(), "k8s/web.yaml");
    (d as any).spec.template.spec.containers[0].resources.requests = { cpu: "0.5" };
    await raw("/apis/apps/v1/namespaces/q/deployments/web", d, {});
    const live = server.get("apps/v1", "Deployment", "q", "web")!;
    expect(live.spec.template.spec.containers[0].resources).toEqual({ limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "500m" } });
    expect(live.spec.template.spec.containers[0]).toMatchObject({ terminationMessagePolicy: "File", imagePullPolicy: "IfNotPresent" });
  });

  it("fieldValidation=Strict refuses an unknown field with 400; without it the field is dropped", async () => {
    const [, d] = parseManifests(deployment("  replicaz: 2\n"), "k8s/web.yaml");
    const strict = await raw("/apis/apps/v1/namespaces/q/deployments/typo", { ...d, metadata: { name: "typo" } }, { fieldValidation: "Strict" });
    expect(strict).toMatchObject({ code: 400 });
    expect((strict as { message: string }).message).toContain(".spec.replicaz: field not declared in schema");
    await raw("/apis/apps/v1/namespaces/q/deployments/typo", { ...d, metadata: { name: "typo" } }, {});
    expect(server.get("apps/v1", "Deployment", "q", "typo")!.spec.replicaz).toBeUndefined();
  });

  it("a deleted namespace is Terminating for a while and refuses new content with 403", async () => {
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "going" } });
    server.put({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "old", namespace: "going" }, data: {} });
    await rest.delete("/api/v1/namespaces/going");
    expect(server.get("v1", "Namespace", undefined, "going")?.status.phase).toBe("Terminating");
    const refused = await raw("/api/v1/namespaces/going/configmaps/new", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "new" } }, {});
    expect(refused).toEqual({ code: 403, message: 'configmaps "new" is forbidden: unable to create new content in namespace going because it is being terminated' });
    await new Promise((r) => setTimeout(r, 150));
    expect(server.get("v1", "Namespace", undefined, "going")).toBeUndefined();
    expect(server.get("v1", "ConfigMap", "going", "old")).toBeUndefined();
  });

  it("refuses changes to a StatefulSet's spec outside replicas/template/updateStrategy/... with 422", async () => {
    const sts = (storage: string) => ({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "db" },
      spec: {
        serviceName: "db",
        selector: { matchLabels: { app: "db" } },
        template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "db", image: "postgres:16" }] } },
        volumeClaimTemplates: [{ metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage } } } }],
      },
    });
    expect(await raw("/apis/apps/v1/namespaces/q/statefulsets/db", sts("1Gi"), {})).toHaveProperty("ok");
    expect(server.get("apps/v1", "StatefulSet", "q", "db")!.spec.volumeClaimTemplates[0]).toMatchObject({ apiVersion: "v1", kind: "PersistentVolumeClaim", spec: { volumeMode: "Filesystem" }, status: { phase: "Pending" } });
    expect(await raw("/apis/apps/v1/namespaces/q/statefulsets/db", sts("1024Mi"), {})).toHaveProperty("ok");
    const refused = await raw("/apis/apps/v1/namespaces/q/statefulsets/db", sts("2Gi"), {});
    expect(refused).toMatchObject({ code: 422 });
    expect((refused as { message: string }).message).toContain("spec: Forbidden: updates to statefulset spec for fields other than 'replicas'");
  });
});

describe("devenv explains the refusals", () => {
  it("sends fieldValidation=Strict and names the unknown field at its file:line", async () => {
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "strict" } });
    const objects = parseManifests(deployment("  replicaz: 2\n"), "k8s/web.yaml");
    const err = await applyWith(rest, objects, { envName: "t", namespace: "strict" }).then(() => undefined, (e: { message: string; where?: string; hint?: string }) => e);
    expect(err?.message).toBe("Deployment/strict/web from k8s/web.yaml:7 sets a field the API server does not know: spec.replicaz");
    expect(err?.where).toBe("k8s/web.yaml:12:13");
    expect(err?.hint).toContain("kubectl explain deployment.spec");
    expect(server.requests.some((r) => r.includes("/deployments/web?") && r.includes("fieldValidation=Strict"))).toBe(true);
  });

  it("a namespace being deleted: the hint says to wait, not that permissions are missing", async () => {
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "bye" } });
    const held = server.namespaceDeletionMs;
    server.namespaceDeletionMs = 60_000; // Terminating for the whole test, however slow the machine
    await rest.delete("/api/v1/namespaces/bye");
    const objects = parseManifests(deployment(), "k8s/web.yaml");
    const err = await applyWith(rest, objects, { envName: "t", namespace: "bye" }).then(() => undefined, (e: { message: string; hint?: string }) => e);
    server.namespaceDeletionMs = held;
    expect(err?.message).toContain("because it is being terminated");
    expect(err?.hint).toBe("namespace bye is being deleted; wait for it to go, then run devenv up again");
  });
});

describe("PersistentVolumeClaims, as the real server and its resize admission treat them", () => {
  const pvc = (size: string, extra = "") => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: fixed
${extra}  resources: { requests: { storage: ${size} } }
`;
  const sc = (expand: boolean) => ({ apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: { name: "fixed" }, provisioner: "example.com/x", allowVolumeExpansion: expand });
  const apply = (yaml: string) => applyWith(rest, parseManifests(yaml, "k8s/pvc.yaml"), { envName: "t", namespace: "pvc" }).then(() => undefined, (e: { message: string; hint?: string }) => e);

  it("growing a claim whose StorageClass cannot expand is refused (403) and explained", async () => {
    server.put(sc(false));
    expect(await apply(pvc("1Gi"))).toBeUndefined();
    const err = await apply(pvc("2Gi"));
    expect(err?.message).toContain("only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize");
    expect(err?.hint).toMatch(/allowVolumeExpansion.*kubectl delete pvc/);
    server.put(sc(true));
    expect(await apply(pvc("2Gi"))).toBeUndefined(); // an expandable class lets it grow
  });

  it("shrinking, or changing anything but the size, is refused (422) and explained", async () => {
    expect((await apply(pvc("1Gi")))?.message).toContain("field can not be less than status.capacity");
    const err = await apply(pvc("2Gi", "  volumeMode: Block\n"));
    expect(err?.message).toContain("spec is immutable after creation except resources.requests");
    expect(err?.hint).toMatch(/cannot change after creation/);
  });
});

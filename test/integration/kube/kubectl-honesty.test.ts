// Real kubectl 1.32 against the test API server: whatever kubectl rejects is a server bug.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tryRun } from "../../../src/exec/runner.js";
import { startKubeApiServer, type KubeApiServer } from "../../helpers/kube-api-server/index.js";

let server: KubeApiServer;
let kubeconfig: string;
const dir = mkdtempSync(join(tmpdir(), "kubectl-honesty-"));
const kubectl = (...args: string[]) => tryRun("kubectl", ["--kubeconfig", kubeconfig, ...args], { timeoutMs: 30_000 });
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const manifests = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: shop}
data: {LOG_LEVEL: info}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web, tier: front}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "shop/web:1", ports: [{containerPort: 8080}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: migrate, image: "shop/web:1"}]
`;

beforeAll(async () => {
  server = await startKubeApiServer();
  kubeconfig = server.kubeconfig(join(dir, "config"));
});
afterAll(async () => server?.close());

describe("kubectl against the test API server", () => {
  it("applies server-side, then reads back with get -o json and label selectors", async () => {
    const r = await kubectl("apply", "--server-side", "-f", file("m.yaml", manifests));
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("deployment.apps/web serverside-applied");
    const got = JSON.parse((await kubectl("get", "deploy", "web", "-n", "shop", "-o", "json")).stdout);
    expect(got.spec.template.spec.containers[0].image).toBe("shop/web:1");
    expect(got.spec.replicas).toBe(1);
    const owners = server.get("apps/v1", "Deployment", "shop", "web")!.metadata.managedFields.map((m: any) => `${m.manager}/${m.operation}`);
    expect(owners).toEqual(["kubectl/Apply"]);
    const sel = JSON.parse((await kubectl("get", "deploy", "-n", "shop", "-l", "tier in (front,back),app!=db", "-o", "json")).stdout);
    expect(sel.items.map((i: any) => i.metadata.name)).toEqual(["web"]);
    const none = JSON.parse((await kubectl("get", "deploy", "-n", "shop", "-l", "!tier", "-o", "json")).stdout);
    expect(none.items).toEqual([]);
  });

  it("a second apply of the same manifests changes nothing", async () => {
    server.clearWrites();
    const r = await kubectl("apply", "--server-side", "-f", join(dir, "m.yaml"));
    expect(r.exitCode).toBe(0);
    expect(server.writes.length).toBe(4);
    expect(server.changes()).toEqual([]);
  });

  it("reports a field-manager conflict the way kubectl expects, and --force-conflicts takes the field", async () => {
    expect((await kubectl("-n", "shop", "scale", "deploy/web", "--replicas=3")).exitCode).toBe(0);
    const changed = manifests.replace("selector: {matchLabels: {app: web}}", "replicas: 2\n  selector: {matchLabels: {app: web}}");
    const r = await kubectl("apply", "--server-side", "-f", file("m2.yaml", changed));
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toMatch(/Apply failed with 1 conflict: conflict with "kubectl(-scale)?" .*\.spec\.replicas/);
    const forced = await kubectl("apply", "--server-side", "--force-conflicts", "-f", join(dir, "m2.yaml"));
    expect(forced.exitCode).toBe(0);
    expect(server.get("apps/v1", "Deployment", "shop", "web")!.spec.replicas).toBe(2);
  });

  it("drops fields an applier stops applying, keeping fields another manager set", async () => {
    const cm = (data: string) => file("cm.yaml", `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: owned, namespace: shop}\ndata: {${data}}\n`);
    await kubectl("apply", "--server-side", "-f", cm("a: '1', b: '2'"));
    expect((await kubectl("-n", "shop", "patch", "cm", "owned", "--type", "merge", "-p", '{"data":{"c":"3"}}')).exitCode).toBe(0);
    await kubectl("apply", "--server-side", "-f", cm("a: '1'"));
    const got = JSON.parse((await kubectl("get", "cm", "owned", "-n", "shop", "-o", "json")).stdout);
    expect(got.data).toEqual({ a: "1", c: "3" });
  });

  it("waits for a condition that a test hook sets (watch-based)", async () => {
    const wait = kubectl("wait", "-n", "shop", "--for=condition=Available", "deploy/web", "--timeout=20s");
    await new Promise((r) => setTimeout(r, 500));
    server.setDeploymentAvailable("shop", "web");
    const r = await wait;
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("deployment.apps/web condition met");
    server.completeJob("shop", "migrate");
    expect((await kubectl("wait", "-n", "shop", "--for=condition=Complete", "job/migrate", "--timeout=10s")).exitCode).toBe(0);
  });

  it("rejects an invalid object with the server's 422 message", async () => {
    const bad = file("bad.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: broken, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: x}}\n    spec: {containers: [{name: x, image: x}]}\n");
    const r = await kubectl("apply", "--server-side", "-f", bad);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('The Deployment "broken" is invalid: spec.selector: Required value');
  });

  it("404s an unknown kind and an object in a missing namespace", async () => {
    const unknown = await kubectl("apply", "--server-side", "-f", file("u.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: shop}\n"));
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr).toMatch(/no matches for kind "Widget" in version "example.com\/v1"/);
    const noNs = await kubectl("apply", "--server-side", "-f", file("n.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: nowhere}\n"));
    expect(noNs.stderr).toContain('namespaces "nowhere" not found');
  });

  it("serves CRDs once established, and deletes with cascade to owned pods", async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}]
`;
    expect((await kubectl("apply", "--server-side", "-f", file("crd.yaml", crd))).exitCode).toBe(0);
    expect((await kubectl("wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=10s")).exitCode).toBe(0);
    const w = await kubectl("apply", "--server-side", "-f", join(dir, "u.yaml"));
    expect(w.stdout).toContain("widget.example.com/w serverside-applied");
    expect(server.list("v1", "Pod", "shop").some((p) => p.metadata.name.startsWith("web-"))).toBe(true);
    expect((await kubectl("delete", "-n", "shop", "deploy/web")).exitCode).toBe(0);
    expect(server.list("v1", "Pod", "shop").some((p) => p.metadata.name.startsWith("web-"))).toBe(false);
  });
});

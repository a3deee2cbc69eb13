// Waits that say why, and bad input: each failure is one DevenvError naming what, where and how to fix.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KubeConfig } from "@kubernetes/client-node";
import { KubeRest } from "../../../src/kube/rest.js";
import { deployPhase, type DeployOptions } from "../../../src/kube/deploy.js";
import { loadKubeConfig } from "../../../src/kube/client.js";
import { applyObjects } from "../../../src/kube/apply.js";
import { setSource } from "../../../src/kube/sources.js";
import type { KubeObject } from "../../../src/model/index.js";
import type { KubeApiServer } from "../../helpers/kube-api-server/index.js";
import { drive, serverWithRest } from "./fixtures.js";

let server: KubeApiServer;
let rest: KubeRest;
let stopDriver: (() => void) | undefined;
let n = 0;
const nsName = () => `case-${++n}`;

const deployment = (ns: string, name: string, image = "shop/web:dev"): KubeObject =>
  setSource(
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: ns }, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image }] } } } },
    "k8s/web.yaml:1",
  );
const opts = (ns: string, timeoutMs = 10_000): DeployOptions => ({ envName: ns, namespace: ns, timeoutMs });
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: Error & { hint?: string; details?: string; where?: string }) => e);

beforeAll(async () => {
  ({ server, rest } = await serverWithRest());
});
afterEach(() => stopDriver?.());
afterAll(async () => server?.close());

describe("waits explain failures", () => {
  it("CrashLoopBackOff: fails fast with the container's last log lines", async () => {
    const ns = nsName();
    stopDriver = drive(server, (_k, name) => server.crashLoop(ns, `deployment/${name}`, ["booting", "Error: connect ECONNREFUSED 10.96.0.5:5432"]), ns);
    const e = await failure(deployPhase(rest, [deployment(ns, "web")], "apps", opts(ns, 60_000)));
    expect(e?.message).toBe(`Deployment/${ns}/web is not coming up`);
    expect(e?.details).toMatch(/pod web-\w+: container web keeps crashing \(CrashLoopBackOff, exit code 1, 5 restarts\)/);
    expect(e?.details).toContain("    Error: connect ECONNREFUSED 10.96.0.5:5432");
  });

  it("rolling out a fix is not failed by the old crashing pod", async () => {
    const ns = nsName();
    stopDriver = drive(server, (_k, name) => server.crashLoop(ns, `deployment/${name}`, ["boom"]), ns);
    expect(await failure(deployPhase(rest, [deployment(ns, "web", "web:broken")], "apps", opts(ns, 60_000)))).toBeInstanceOf(Error);
    stopDriver();
    stopDriver = drive(server, (_k, name) => setTimeout(() => server.setDeploymentAvailable(ns, name), 300), ns);
    await deployPhase(rest, [deployment(ns, "web", "web:fixed")], "apps", opts(ns, 10_000));
  });

  it("ImagePullBackOff: names the image and says how images reach the cluster", async () => {
    const ns = nsName();
    stopDriver = drive(server, (_k, name) => server.imagePullBackOff(ns, `deployment/${name}`), ns);
    const e = await failure(deployPhase(rest, [deployment(ns, "web", "shop/web:typo")], "apps", opts(ns, 60_000)));
    expect(e?.details).toMatch(/cannot pull image "shop\/web:typo" \(ImagePullBackOff: Back-off pulling image "shop\/web:typo"\)/);
    expect(e?.hint).toContain("imageOverrides");
  });

  it("Pending on an unbound PVC: times out with the scheduler's event", async () => {
    const ns = nsName();
    stopDriver = drive(server, (_k, name) => server.pendingUnboundPvc(ns, `deployment/${name}`), ns);
    const e = await failure(deployPhase(rest, [deployment(ns, "web")], "apps", opts(ns, 1500)));
    expect(e?.message).toBe(`timed out after 1.5 s waiting for Deployment/${ns}/web: 0/1 available`);
    expect(e?.details).toContain("event FailedScheduling: 0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.");
  });
});

describe("bad input", () => {
  it("an unknown kind names the file and the kind, before anything is written", async () => {
    const ns = nsName();
    server.clearWrites();
    const widget = setSource({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } }, "k8s/widget.yaml:3");
    const e = await failure(deployPhase(rest, [deployment(ns, "web"), widget], "data", opts(ns)));
    expect(e?.message).toBe('unknown kind Widget (apiVersion example.com/v1) for "w" in k8s/widget.yaml:3');
    expect(e?.hint).toContain("CustomResourceDefinition");
    expect(server.writes).toEqual([]);
  });

  it("an invalid object: the server's message is passed through with the file", async () => {
    const ns = nsName();
    const bad = deployment(ns, "web");
    delete (bad.spec as Record<string, unknown>).selector;
    const e = await failure(deployPhase(rest, [bad], "apps", opts(ns)));
    expect(e?.message).toBe(`the API server rejected Deployment/${ns}/web from k8s/web.yaml:1: Deployment.apps "web" is invalid: spec.selector: Required value`);
  });

  it("a conflict with another manager is reported, never forced", async () => {
    const ns = nsName();
    stopDriver = drive(server, (_k, name) => server.setDeploymentAvailable(ns, name), ns);
    await deployPhase(rest, [deployment(ns, "web")], "apps", opts(ns));
    const live = server.get("apps/v1", "Deployment", ns, "web")!;
    server.put({ ...live, spec: { ...live.spec, template: { ...live.spec.template, spec: { containers: [{ name: "web", image: "hotfix:1" }] } } }, metadata: { ...live.metadata, managedFields: undefined } }, "kubectl-edit");
    const e = await failure(deployPhase(rest, [deployment(ns, "web", "shop/web:v2")], "apps", opts(ns)));
    expect(e?.message).toMatch(/Apply failed with 1 conflict: conflict with "kubectl-edit" using apps\/v1: \.spec\.template\.spec\.containers\[name="web"\]\.image/);
    expect(server.get("apps/v1", "Deployment", ns, "web")!.spec.template.spec.containers[0].image).toBe("hotfix:1");
  });

  it("an unreachable cluster points at devenv doctor", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(server.kubeconfig());
    kc.clusters[0] = { ...kc.clusters[0]!, server: "http://127.0.0.1:9" };
    const e = await failure(applyObjects(new KubeRest(kc), [deployment("x", "web")], { envName: "x" }));
    expect(e?.message).toMatch(/^cannot reach the Kubernetes API at http:\/\/127.0.0.1:9 \(kube context "test"\): ECONNREFUSED/);
    expect(e?.hint).toContain("devenv doctor");
  });

  it("expired credentials (401) say so and how to refresh them", async () => {
    server.expireCredentials();
    try {
      const e = await failure(deployPhase(rest, [deployment("x", "web")], "data", opts("x")));
      expect(e?.message).toBe('the cluster rejected the credentials of kube context "test" (expired or revoked)');
      expect(e?.hint).toContain("kind export kubeconfig");
    } finally {
      server.expireCredentials(false);
    }
  });

  it("an unknown context lists the known ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kc-"));
    const file = server.kubeconfig(join(dir, "config"), "kind-devenv");
    writeFileSync(join(dir, "unused"), "");
    const before = process.env.KUBECONFIG;
    process.env.KUBECONFIG = file;
    try {
      const e = await failure(loadKubeConfig("k3d-devenv"));
      expect(e?.message).toBe(`kube context "k3d-devenv" not found in ${file}`);
      expect(e?.hint).toContain("known contexts: kind-devenv");
      expect((await loadKubeConfig("kind-devenv")).getCurrentContext()).toBe("kind-devenv");
    } finally {
      process.env.KUBECONFIG = before;
    }
  });
});

// A wait that times out names every workload that is not ready, each with its reason (issue 14).
import { afterAll, beforeAll, expect, it } from "vitest";
import type { KubeRest } from "../../../src/kube/rest.js";
import { waitForObjects } from "../../../src/kube/waits.js";
import type { KubeObject } from "../../../src/model/index.js";
import type { KubeApiServer } from "../../helpers/kube-api-server/index.js";
import { serverWithRest } from "./fixtures.js";

let server: KubeApiServer;
let rest: KubeRest;
beforeAll(async () => {
  ({ server, rest } = await serverWithRest());
});
afterAll(async () => server?.close());

const deployment = (name: string): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: "w" },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `${name}:1` }] } } },
});

it("lists every workload not ready when the wait times out", async () => {
  server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "w" } });
  const objects = ["api", "web", "ok"].map(deployment);
  for (const o of objects) server.put(o);
  server.setDeploymentAvailable("w", "ok");
  const err = await waitForObjects(rest, objects, 1200, "w").then(() => undefined, (e: { message: string; details?: string }) => e);
  expect(err?.message).toMatch(/^timed out after 1\.2 s waiting for 2 workloads: Deployment\/w\/api: .+; Deployment\/w\/web: .+/);
  expect(err?.message).not.toContain("Deployment/w/ok");
  expect(err?.details).toContain("Deployment/w/api");
  expect(err?.details).toContain("Deployment/w/web");
});

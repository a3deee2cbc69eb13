// `devenv down`'s scale-to-zero against the in-process test API server, through client-node's
// kubeconfig and devenv's REST client: only the environment's workloads, idempotently, as devenv.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scaleToZero } from "../../../src/kube/scale.js";
import { KubeRest } from "../../../src/kube/rest.js";
import { ENV_LABEL } from "../../../src/kube/ownership.js";
import { startKubeApiServer, type KubeApiServer } from "../../helpers/kube-api-server/index.js";

const workload = (kind: string, name: string, env: string | undefined, replicas: number) => ({
  apiVersion: "apps/v1",
  kind,
  metadata: { name, namespace: "shop", labels: env ? { [ENV_LABEL]: env } : {} },
  spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "x" }] } } },
});

describe("scale to zero (test API server)", () => {
  let server: KubeApiServer;
  let saved: string | undefined;

  beforeAll(async () => {
    server = await startKubeApiServer();
    saved = process.env.KUBECONFIG;
    process.env.KUBECONFIG = server.kubeconfig(join(mkdtempSync(join(tmpdir(), "devenv-down-")), "config"));
    server.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
    server.put(workload("Deployment", "api", "shop", 2));
    server.put(workload("StatefulSet", "db", "shop", 1));
    server.put(workload("Deployment", "other-team", undefined, 3));
  });

  afterAll(async () => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
    await server.close();
  });

  it("scales the environment's Deployments and StatefulSets to zero and leaves others alone", async () => {
    const rest = await KubeRest.forContext("test");
    server.clearWrites();
    expect(await scaleToZero(rest, "shop", "shop")).toEqual(["Deployment/api", "StatefulSet/db"]);
    expect(server.changes().map((w) => `${w.verb} ${w.kind}/${w.name} by ${w.fieldManager}`)).toEqual(["patch Deployment/api by devenv", "patch StatefulSet/db by devenv"]);
    expect(server.get("apps/v1", "Deployment", "shop", "api")?.spec?.replicas).toBe(0);
    expect(server.get("apps/v1", "StatefulSet", "shop", "db")?.spec?.replicas).toBe(0);
    expect(server.get("apps/v1", "Deployment", "shop", "other-team")?.spec?.replicas).toBe(3);
    expect(await scaleToZero(rest, "shop", "shop")).toEqual([]);
  });
});

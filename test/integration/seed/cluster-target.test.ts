// The cluster-target pieces that are seeding's own, against the in-process test API server:
// the password read from a Secret through client-node, and the wait for the migration Job.
// (The port-forward itself is the kube seam's; here `reach` points at a throwaway Postgres.)
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeApiServer } from "../../helpers/kube-api-server/index.js";
import { startPgServer, type PgServer } from "../../helpers/pg-server.js";
import { isDevenvError } from "../../../src/errors/devenv-error.js";
import { runSeeds } from "../../../src/seed/index.js";
import { reachAt, seedProject, type SeedProject } from "./seed-env.js";

let api: KubeApiServer;
let pgServer: PgServer;
let oldKubeconfig: string | undefined;
const projects: SeedProject[] = [];

beforeAll(async () => {
  [api, pgServer] = await Promise.all([KubeApiServer.start(), startPgServer("from-secret")]);
  oldKubeconfig = process.env.KUBECONFIG;
  process.env.KUBECONFIG = api.kubeconfig();
  api.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "seedtest" } });
  api.put({ apiVersion: "v1", kind: "Secret", metadata: { name: "pg-auth", namespace: "seedtest" }, data: { password: Buffer.from("from-secret").toString("base64") } });
});
afterAll(async () => {
  if (oldKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = oldKubeconfig;
  projects.forEach((p) => p.remove());
  await Promise.all([api?.close(), pgServer?.stop()]);
});

function project(password: unknown, migrate?: unknown) {
  const p = seedProject({ postgres: { app: { target: { service: "postgres" }, database: "clustered", password, sql: "seed", ...(migrate ? { migrate } : {}) } } }, { "seed/001.sql": "create table t (id int);\n" }, { cluster: { provider: "existing", context: "test" } });
  projects.push(p);
  return p;
}
const opts = () => ({ target: "cluster" as const, reach: reachAt(pgServer.host, pgServer.port), timeoutMs: 10_000 });

describe("cluster target: Secrets and the migration Job (test API server)", () => {
  it("reads the password from the Secret and seeds once the migration Job has succeeded", async () => {
    api.put({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "migrate", namespace: "seedtest" }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "m", image: "x" }] } } } });
    api.completeJob("seedtest", "migrate");
    const r = await runSeeds(project({ secret: "pg-auth", key: "password" }, { job: "migrate" }).env, opts());
    expect(r.applied).toEqual(["postgres.app seed/001.sql"]);
  });

  it("names a missing Secret key and lists the keys present", async () => {
    const e = await runSeeds(project({ secret: "pg-auth", key: "pass" }).env, opts()).catch((x: unknown) => x);
    expect(isDevenvError(e) && e.message).toBe('seeds.postgres.app.password: Secret seedtest/pg-auth has no key "pass"');
    expect(isDevenvError(e) && e.hint).toContain("password");
  });

  it("names a missing Secret", async () => {
    const e = await runSeeds(project({ secret: "nope", key: "password" }).env, opts()).catch((x: unknown) => x);
    expect(isDevenvError(e) && e.message).toBe("seeds.postgres.app.password: Secret seedtest/nope does not exist");
  });

  it("fails at once when the migration Job failed", async () => {
    api.put({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "migrate-bad", namespace: "seedtest" }, spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "m", image: "x" }] } } } });
    api.failJob("seedtest", "migrate-bad");
    const e = await runSeeds(project({ secret: "pg-auth", key: "password" }, { job: "migrate-bad" }).env, opts()).catch((x: unknown) => x);
    expect(isDevenvError(e) && e.message).toBe("migration Job seedtest/migrate-bad failed: Job has reached the specified backoff limit");
    expect(isDevenvError(e) && e.hint).toContain("kubectl -n seedtest logs job/migrate-bad");
  });

  it("gives up on a migration Job that never appears, saying how to order it", async () => {
    const e = await runSeeds(project({ secret: "pg-auth", key: "password" }, { job: "never" }).env, { ...opts(), timeoutMs: 1500 }).catch((x: unknown) => x);
    expect(isDevenvError(e) && e.message).toBe("timed out after 1.5 s waiting for migration Job seedtest/never to succeed: it does not exist yet");
    expect(isDevenvError(e) && e.hint).toContain("order");
  });
});

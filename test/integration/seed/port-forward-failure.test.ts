// Port-forward failures while seeding and on `reset --data` (issue 14): the API server answering
// 500 to the port-forward upgrade, or the pod's port refusing the connection, is a DevenvError
// naming the pod and the port with a hint; nothing is reported done before it is done, and no
// unhandled 'error' event takes the process down.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeApiServer } from "../../helpers/kube-api-server/index.js";
import { isDevenvError } from "../../../src/errors/devenv-error.js";
import { resetData, runSeeds } from "../../../src/seed/index.js";
import { seedProject, type SeedProject } from "./seed-env.js";
import { devenv } from "../../helpers/cli.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

let api: KubeApiServer;
let oldKubeconfig: string | undefined;
const projects: SeedProject[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  api = await KubeApiServer.start();
  oldKubeconfig = process.env.KUBECONFIG;
  process.env.KUBECONFIG = api.kubeconfig();
  process.on("uncaughtException", onUnhandled);
  api.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: "seedtest" } });
  api.put({ apiVersion: "v1", kind: "Service", metadata: { name: "postgres", namespace: "seedtest" }, spec: { selector: { app: "postgres" }, ports: [{ port: 5432 }] } });
  api.put({
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "postgres", namespace: "seedtest" },
    spec: { serviceName: "postgres", selector: { matchLabels: { app: "postgres" } }, template: { metadata: { labels: { app: "postgres" } }, spec: { containers: [{ name: "postgres", image: "postgres:16" }] } } },
  });
  api.setWorkloadReady("seedtest", "statefulset/postgres");
});
afterAll(async () => {
  process.off("uncaughtException", onUnhandled);
  if (oldKubeconfig === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = oldKubeconfig;
  projects.forEach((p) => p.remove());
  await api?.close();
});

function project() {
  const p = seedProject({ postgres: { app: { target: { service: "postgres" }, database: "app", user: "postgres", password: "pw", sql: "seed" } } }, { "seed/001.sql": "select 1;\n" }, { cluster: { provider: "existing", context: "test" } });
  projects.push(p);
  return p;
}

describe("port-forward failures", () => {
  it("reset --data with the port-forward upgrade answered 500: an error naming pod and port, nothing said done", async () => {
    api.refusePortForwards(500);
    const lines: string[] = [];
    try {
      const e = await resetData(project().env, { target: "cluster", timeoutMs: 5000, log: (l) => lines.push(l) }).catch((x: unknown) => x);
      expect(isDevenvError(e)).toBe(true);
      const err = e as { message: string; hint?: string };
      expect(err.message).toMatch(/^cannot port-forward to pod seedtest\/postgres-0 port 5432 \(behind Service postgres\): error upgrading connection/);
      expect(err.hint).toContain("pod postgres-0 is running and listens on 5432");
      expect(lines.join("\n")).not.toMatch(/drop/);
    } finally {
      api.refusePortForwards();
    }
  });

  it("seeding when the pod's port refuses the connection: the same error, at once rather than after the timeout", async () => {
    const started = Date.now();
    const e = await runSeeds(project().env, { target: "cluster", timeoutMs: 20_000 }).catch((x: unknown) => x);
    expect(isDevenvError(e) && e.message).toMatch(/^cannot port-forward to pod seedtest\/postgres-0 port 5432 \(behind Service postgres\): error forwarding port 5432 to pod postgres-0: connection refused/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("`devenv reset --data --yes` against a 500: exit 1, one error naming pod and port, no ERR_UNHANDLED_ERROR dump", async () => {
    const p = project();
    writeFileSync(
      join(p.root, "devenv.ts"),
      `export default { name: "seedtest", cluster: { provider: "existing", context: "test" }, seeds: { postgres: { app: { target: { service: "postgres" }, database: "app", user: "postgres", password: "pw", sql: "seed" } } } };\n`,
    );
    api.refusePortForwards(500);
    try {
      const r = await devenv(["reset", "--data", "--yes"], { cwd: p.root, env: { KUBECONFIG: api.kubeconfig(), DEVENV_WAIT_TIMEOUT_MS: "5000" } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("cannot port-forward to pod seedtest/postgres-0 port 5432");
      expect(r.stderr + r.stdout).not.toMatch(/ERR_UNHANDLED_ERROR|\n\s+at .*:\d+:\d+\)?\n/);
      expect(r.stderr + r.stdout).not.toMatch(/dropped and recreated|dropping/);
    } finally {
      api.refusePortForwards();
    }
  });

  it("raised no unhandled 'error' event", () => {
    expect(unhandled).toEqual([]);
  });
});

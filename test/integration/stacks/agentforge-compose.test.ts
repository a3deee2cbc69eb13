// AgentForge under docker compose on the real engine: migration before the backend, seeds in
// Postgres and Redis, and the backend serving them over HTTP and a WebSocket round trip.
import { afterAll, beforeAll, expect, it } from "vitest";
import WebSocket from "ws";
import { describeDocker } from "../../helpers/docker.js";
import type { LoadedEnv } from "../../../src/config/load.js";
import { composeDown, composePs, composeUp } from "../../../src/compose/run.js";
import { runSeeds } from "../../../src/seed/index.js";
import { buildAll, getJson, loadStack } from "./stack-harness.js";

describeDocker("AgentForge under docker compose", () => {
  let env: LoadedEnv;
  let backend: string;

  beforeAll(async () => {
    const s = await loadStack("devenv.ts", "devenv-test-af", ["BACKEND_PORT", "FRONTEND_PORT", "COLLECTOR_PORT"]);
    env = s.env;
    backend = `http://127.0.0.1:${s.ports.BACKEND_PORT}`;
    const images = await buildAll(env);
    await composeUp(env, images);
    // compose-up already ran the migration (backend depends_on migrate completing).
    delete env.config.seeds.postgres.app!.migrate;
    await runSeeds(env, { target: "compose" });
  });
  afterAll(async () => {
    if (env) await composeDown(env, { volumes: true }).catch(() => undefined);
  });

  it("brings up every default-profile service; the migration ran once and exited 0", async () => {
    const ps = await composePs(env);
    expect(ps.map((s) => s.service).sort()).toEqual(["backend", "data-collector", "frontend", "migrate", "postgres", "redis"]);
    expect(ps.find((s) => s.service === "migrate")).toMatchObject({ state: "exited", exitCode: 0 });
    expect(ps.find((s) => s.service === "postgres")!.image).toBe("devenv-local/postgres:16");
  });

  it("the backend reads the seeded rows from Postgres", async () => {
    const r = await getJson(`${backend}/api/items`);
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { name: string }) => i.name)).toEqual(["research-agent", "summariser", "code-reviewer"]);
  });

  it("the backend reads seeded Redis keys (string and hash)", async () => {
    expect((await getJson(`${backend}/api/cache/feature:websocket`)).body).toEqual({ key: "feature:websocket", value: "enabled" });
    expect((await getJson(`${backend}/api/cache/agent:research-agent`)).body.value).toEqual({ model: "small", max_tokens: "2048" });
    expect((await getJson(`${backend}/api/cache/nope`)).status).toBe(404);
  });

  it("a WebSocket message round-trips through /ws/", async () => {
    const ws = new WebSocket(`${backend.replace("http", "ws")}/ws/`);
    const reply = await new Promise<string>((resolve, reject) => {
      ws.on("open", () => ws.send("hello over ws"));
      ws.on("message", (data) => resolve(String(data)));
      ws.on("error", reject);
    });
    ws.close();
    expect(JSON.parse(reply).echo).toBe("hello over ws");
  });

  it("the data-collector's /metrics counts the seeded rows", async () => {
    const port = process.env.COLLECTOR_PORT;
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toMatch(/^agentforge_items 3$/m);
  });
});

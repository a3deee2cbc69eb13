// AgentForge under docker compose on the real engine, through the real CLI, in a temp copy of
// the stack: `up --target compose` (build, compose up, migration, seeds), requests through the
// backend (seeded rows and keys, a WebSocket round trip), a second `up` that changes nothing,
// `reset --data` restoring the seeded state, and hot reload changing a response.
import { afterAll, beforeAll, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { Redis } from "ioredis";
import WebSocket from "ws";
import { describeDocker, LOCAL_OVERRIDES } from "../../helpers/docker.js";
import { devenv } from "../../helpers/cli.js";
import { loadEnv, type LoadedEnv } from "../../../src/config/load.js";
import { composeDown, composePs } from "../../../src/compose/run.js";
import { docker } from "../../../src/docker/client.js";
import { composeEndpoint } from "../../../src/seed/endpoint.js";
import { startWatch } from "../../../src/watch/start.js";
import { eventually } from "../watch/sample-app.js";
import { copyStack, freePort, getJson } from "./stack-harness.js";

const project = `devenv-test-af-${randomBytes(3).toString("hex")}`;

describeDocker("AgentForge under docker compose (real CLI)", () => {
  let root: string;
  let env: LoadedEnv;
  let backend: string;
  let firstUp: Awaited<ReturnType<typeof devenv>>;

  /** Runs the CLI in the copy, with the local images and this test's host ports. */
  const cli = (args: string[]) => devenv(["--env", join(root, "devenv.ts"), ...args], { cwd: root });

  /** Talks to the stack's Postgres / Redis directly, as a developer poking at the data would. */
  async function withData<T>(fn: (db: pg.Client, cache: Redis) => Promise<T>): Promise<T> {
    const pgEp = await composeEndpoint(project, "postgres", 5432);
    const redisEp = await composeEndpoint(project, "redis", 6379);
    const db = new pg.Client({ host: pgEp.host, port: pgEp.port, user: "agentforge", password: "agentforge-dev-password", database: "agentforge" });
    const cache = new Redis({ host: redisEp.host, port: redisEp.port, password: "agentforge-dev-redis", lazyConnect: true });
    await db.connect();
    await cache.connect();
    try {
      return await fn(db, cache);
    } finally {
      await db.end();
      cache.disconnect();
    }
  }
  const itemNames = async () => (await getJson(`${backend}/api/items`)).body.items.map((i: { name: string }) => i.name);

  beforeAll(async () => {
    process.env.DEVENV_IMAGE_OVERRIDES ||= LOCAL_OVERRIDES;
    for (const v of ["BACKEND_PORT", "FRONTEND_PORT", "COLLECTOR_PORT"]) process.env[v] = String(await freePort());
    backend = `http://127.0.0.1:${process.env.BACKEND_PORT}`;
    root = copyStack(["devenv.ts", "compose", "fixtures/agentforge"], "devenv.ts", project);
    firstUp = await cli(["up", "--target", "compose"]);
    env = await loadEnv("devenv.ts", root);
  });
  afterAll(async () => {
    if (env) await composeDown(env, { volumes: true }).catch(() => undefined);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("`up --target compose` builds, starts every default-profile service, migrates and seeds", async () => {
    expect(firstUp.code, firstUp.stderr).toBe(0);
    const ps = await composePs(env);
    expect(ps.map((s) => s.service).sort()).toEqual(["backend", "data-collector", "frontend", "migrate", "postgres", "redis"]);
    expect(ps.find((s) => s.service === "migrate")).toMatchObject({ state: "exited", exitCode: 0 });
    expect(ps.find((s) => s.service === "postgres")!.image).toBe("devenv-local/postgres:16");
    expect(ps.find((s) => s.service === "backend")!.image).toMatch(/^agentforge\/backend:devenv-/);
  });

  it("the backend reads the seeded rows from Postgres", async () => {
    expect(await itemNames()).toEqual(["research-agent", "summariser", "code-reviewer"]);
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

  it("CORS from CORS_ORIGINS, a reply naming its server, and the WebSocket message size cap", async () => {
    const allowed = await fetch(`${backend}/api/health`, { headers: { origin: "http://localhost:3000" } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("http://localhost:3000");
    expect(allowed.headers.get("x-served-by")).toMatch(/^[0-9a-f]{12}$/); // the container's hostname under compose
    const preflight = await fetch(`${backend}/api/items`, { method: "OPTIONS", headers: { origin: "http://localhost", "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(204);
    const other = await fetch(`${backend}/api/health`, { headers: { origin: "http://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    // 16 MiB + 1 byte: the server closes with 1009 (message too big).
    const ws = new WebSocket(`${backend.replace("http", "ws")}/ws/`);
    const code = await new Promise<number>((resolve, reject) => {
      ws.on("open", () => ws.send(Buffer.alloc(16 * 1024 * 1024 + 1)));
      ws.on("close", (c) => resolve(c));
      ws.on("error", (e) => (ws.readyState === ws.CLOSED ? undefined : reject(e)));
    });
    expect(code).toBe(1009);
  });

  it("the data-collector's /metrics counts the seeded rows", async () => {
    const text = await (await fetch(`http://127.0.0.1:${process.env.COLLECTOR_PORT}/metrics`)).text();
    expect(text).toMatch(/^agentforge_items 3$/m);
  });

  it("a second `up` changes nothing: images and containers kept (same ids and start times), no build, no compose command, nothing re-seeded", async () => {
    /** Each container of the project as service, id, image, state and when it last started. */
    const containers = async () => {
      const d = await docker();
      const ps = await composePs(env);
      return (await Promise.all(ps.map(async (s) => `${s.service} ${s.id} ${s.image} ${s.state} ${(await d.containers.inspect(s.id!)).State.StartedAt}`))).sort();
    };
    const before = await containers();
    await withData(async (db, cache) => {
      await db.query("DELETE FROM items WHERE name = 'summariser'");
      await cache.del("feature:websocket");
    });
    // Every command and Docker call it makes, on stderr.
    const second = await devenv(["--env", join(root, "devenv.ts"), "up", "--target", "compose", "--json"], { cwd: root, env: { DEVENV_DEBUG: "devenv:exec,devenv:docker" } });
    expect(second.code, second.stderr).toBe(0);
    const steps = JSON.parse(second.stdout).steps as { id: string; status: string }[];
    expect(Object.fromEntries(steps.map((s) => [s.id, s.status]))).toEqual({ "build-images": "skipped", "compose-up": "skipped", seed: "done" });
    expect(await containers()).toEqual(before);
    // Nothing built, created, started or stopped; no compose process at all (not even the migration's `run`).
    expect(second.stderr).not.toMatch(/devenv:docker (images\.build|containers\.(create|start|stop|restart|remove))/);
    expect(second.stderr).not.toMatch(/devenv:exec .*compose/);
    // The seed files are recorded as applied, so the changed data stays as the developer left it.
    expect(await itemNames()).toEqual(["research-agent", "code-reviewer"]);
    expect((await getJson(`${backend}/api/cache/feature:websocket`)).status).toBe(404);
  });

  it("`reset --data --yes --target compose` restores the seeded state", async () => {
    await withData(async (db) => void (await db.query("INSERT INTO items (name) VALUES ('scratch')")));
    const r = await cli(["reset", "--data", "--yes", "--target", "compose"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await itemNames()).toEqual(["research-agent", "summariser", "code-reviewer"]);
    expect((await getJson(`${backend}/api/cache/feature:websocket`)).body.value).toBe("enabled");
    expect((await getJson(`${backend}/api/cache/session:demo`)).body.value).toBe("demo-session");
  });

  it("hot reload: an edited backend source changes the response; the process restarts, not the container", async () => {
    expect((await getJson(`${backend}/api/health`)).body.greeting).toBe("hello from agentforge");
    const d = await docker();
    const [container] = (await composePs(env)).filter((s) => s.service === "backend");
    const startedAt = (await d.containers.inspect(container!.id!)).State.StartedAt;
    const lines: string[] = [];
    const handle = await startWatch({ env, target: "compose", verbose: false, images: new Map(), log: (l) => lines.push(l) });
    try {
      writeFileSync(join(root, "fixtures/agentforge/services/backend/greeting.js"), 'export const GREETING = "hot reloaded";\n');
      await eventually("the new greeting is served", () => getJson(`${backend}/api/health`).catch(() => ({ status: 0, body: {} })), (r) => r.body.greeting === "hot reloaded", 60_000, 200);
    } finally {
      await handle.stop();
    }
    expect(lines.join("\n")).toMatch(/backend: synced 1 file/);
    // afterSync "restart" under the process supervisor (compose override): same container, same start.
    expect((await d.containers.inspect(container!.id!)).State.StartedAt).toBe(startedAt);
  });
});

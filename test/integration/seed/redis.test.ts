// Redis seeding against a real redis-server 7 with a password.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";
import { isDevenvError, type DevenvError } from "../../../src/errors/devenv-error.js";
import { resetData, runSeeds, type SeedOptions } from "../../../src/seed/index.js";
import { reachAt, seedProject, type SeedProject } from "./seed-env.js";

let server: RedisServer;
let client: Redis;
const projects: SeedProject[] = [];

beforeAll(async () => {
  server = await startRedisServer("s3cret-redis");
  client = new Redis({ host: server.host, port: server.port, password: server.password, lazyConnect: true });
  await client.connect();
});
afterAll(async () => {
  projects.forEach((p) => p.remove());
  client?.disconnect();
  await server?.stop();
});

const FIXTURES = `
- { key: greeting, type: string, value: hello, ttl: 3600 }
- key: user:1
  type: hash
  value: { name: Ada, age: 36 }
- { key: queue, type: list, value: [a, b, c] }
- { key: tags, type: set, value: [x, y] }
- { key: board, type: zset, value: { ada: 10, bob: 5 }, ttl: 120 }
- { key: events, type: stream, value: [ { kind: login }, { kind: logout } ] }
`;
const COMMANDS = '# raw commands\nSET raw:note "two words"\nHSET raw:h f "a\\nb"\n';

/** `password: null` declares none. */
function project(db: number, files: Record<string, string>, password: unknown = "s3cret-redis") {
  const p = seedProject({ redis: { cache: { target: { compose: "redis" }, db, fixtures: "fixtures", ...(password === null ? {} : { password }) } } }, files);
  projects.push(p);
  return p;
}
const opts = (extra: Partial<SeedOptions> = {}): SeedOptions => ({ target: "compose", reach: reachAt(server.host, server.port), timeoutMs: 10_000, ...extra });
async function inDb<T>(db: number, f: () => Promise<T>): Promise<T> {
  await client.select(db);
  return f();
}
async function failure(p: Promise<unknown>): Promise<DevenvError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!isDevenvError(e)) throw new Error(`expected a DevenvError, got ${String(e)}`);
  return e;
}

describe("redis seeds on a real server", () => {
  it("lands every type and TTL as declared, exactly once", async () => {
    const p = project(1, { "fixtures/01-keys.yaml": FIXTURES, "fixtures/02-raw.redis": COMMANDS });
    const first = await runSeeds(p.env, opts());
    expect(first.applied).toEqual(["redis.cache fixtures/01-keys.yaml", "redis.cache fixtures/02-raw.redis"]);
    await inDb(1, async () => {
      const types = await Promise.all(["greeting", "user:1", "queue", "tags", "board", "events"].map((k) => client.type(k)));
      expect(types).toEqual(["string", "hash", "list", "set", "zset", "stream"]);
      expect(await client.hgetall("user:1")).toEqual({ name: "Ada", age: "36" });
      expect(await client.lrange("queue", 0, -1)).toEqual(["a", "b", "c"]);
      expect(await client.zrange("board", 0, -1, "WITHSCORES")).toEqual(["bob", "5", "ada", "10"]);
      expect(await client.xlen("events")).toBe(2);
      const ttl = await client.ttl("greeting");
      expect(ttl).toBeGreaterThan(3500);
      expect(ttl).toBeLessThanOrEqual(3600);
      expect(await client.ttl("queue")).toBe(-1);
      expect(await client.get("raw:note")).toBe("two words");
      expect(await client.hget("raw:h", "f")).toBe("a\nb");
      expect(Object.keys(await client.hgetall("devenv:seed:history"))).toEqual(["fixtures/01-keys.yaml", "fixtures/02-raw.redis"]);
    });
    const second = await runSeeds(p.env, opts());
    expect(second.applied).toEqual([]);
    expect(await inDb(1, () => client.xlen("events"))).toBe(2);
  });

  it("refuses a changed fixture, and --force re-creates its keys exactly", async () => {
    const p = project(2, { "fixtures/keys.yaml": "- { key: q, type: list, value: [a, b] }\n" });
    await runSeeds(p.env, opts());
    p.write("fixtures/keys.yaml", "- { key: q, type: list, value: [c] }\n");
    const e = await failure(runSeeds(p.env, opts()));
    expect(e.message).toContain("fixtures/keys.yaml");
    expect(e.hint).toContain("devenv seed --force");
    await runSeeds(p.env, opts({ force: true }));
    expect(await inDb(2, () => client.lrange("q", 0, -1))).toEqual(["c"]);
  });

  it("reset --data flushes the db and re-seeds it", async () => {
    const p = project(3, { "fixtures/keys.yaml": "- { key: a, type: string, value: '1' }\n" });
    await runSeeds(p.env, opts());
    await inDb(3, () => client.set("stray", "x"));
    await resetData(p.env, opts());
    expect((await inDb(3, () => client.keys("*"))).sort()).toEqual(["a", "devenv:seed:history"]);
  });

  it("an unknown command aborts the whole file, names its line, and records nothing", async () => {
    const p = project(4, { "fixtures/cmds.redis": "SET a 1\nSETT b 2\n" });
    const e = await failure(runSeeds(p.env, opts()));
    expect(e.where).toBe("fixtures/cmds.redis:2");
    expect(e.message).toContain("unknown command");
    expect(await inDb(4, () => client.keys("*"))).toEqual([]);
  });

  it("rejects a malformed fixture file and an unknown type before touching the server", async () => {
    const p = project(5, { "fixtures/a.json": '[{"key": "k", "type": "string", "value": "v"},\n {"key": "j" "type": "list"}]' });
    const e = await failure(runSeeds(p.env, opts()));
    expect(e.where).toMatch(/^fixtures\/a\.json:2:\d+$/);
    const q = project(5, { "fixtures/a.yaml": "- { key: k, type: string, value: v }\n- { key: j, type: heap, value: [1] }\n" });
    const u = await failure(runSeeds(q.env, opts()));
    expect(u.message).toContain('unknown Redis type "heap"');
    expect(u.where).toMatch(/^fixtures\/a\.yaml:2:/);
    expect(await inDb(5, () => client.dbsize())).toBe(0);
  });

  it("says clearly when the password is wrong or missing", async () => {
    const wrong = await failure(runSeeds(project(6, { "fixtures/k.yaml": "[]" }, "nope-nope").env, opts()));
    expect(wrong.message).toContain("wrong password");
    expect(wrong.message).not.toContain("nope-nope");
    const missing = await failure(runSeeds(project(6, { "fixtures/k.yaml": "[]" }, null).env, opts()));
    expect(missing.message).toContain("a password is required");
  });

  it("gives up on a server that is down after a bounded wait, naming it", async () => {
    const e = await failure(runSeeds(project(7, { "fixtures/k.yaml": "[]" }).env, opts({ reach: reachAt("127.0.0.1", 1), timeoutMs: 1500 })));
    expect(e.message).toMatch(/^timed out after 1\.5 s waiting for Redis \(test server 127\.0\.0\.1:1\) at 127\.0\.0\.1:1 to answer: .*ECONNREFUSED/);
  });
});

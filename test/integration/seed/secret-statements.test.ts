// A failing seed statement that holds a secret (issue 16): Postgres `CREATE ROLE … PASSWORD '…'`
// and `ALTER USER … PASSWORD`, Redis `AUTH` and `ACL SETUSER`, against real servers from
// Debian's binaries. The error names file:line and the statement (masked) or the command (name
// only), and the secret appears nowhere in what is printed, --verbose included.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPgServer, type PgServer } from "../../helpers/pg-server.js";
import { startRedisServer, type RedisServer } from "../../helpers/redis-server.js";
import { isDevenvError, type DevenvError } from "../../../src/errors/devenv-error.js";
import { formatError } from "../../../src/errors/report.js";
import { makeStyle } from "../../../src/ui/style.js";
import { runSeeds, type SeedOptions } from "../../../src/seed/index.js";
import { reachAt, seedProject, type SeedProject } from "./seed-env.js";

let pgServer: PgServer;
let redisServer: RedisServer;
const projects: SeedProject[] = [];

beforeAll(async () => {
  [pgServer, redisServer] = await Promise.all([startPgServer("s3cret-pg"), startRedisServer("s3cret-redis")]);
});
afterAll(async () => {
  projects.forEach((p) => p.remove());
  await Promise.all([pgServer?.stop(), redisServer?.stop()]);
});

async function failure(p: Promise<unknown>): Promise<DevenvError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!isDevenvError(e)) throw new Error(`expected a DevenvError, got ${String(e)}`);
  return e;
}

/** Everything the CLI would print for the error, plain and --verbose. */
const printed = (e: DevenvError) => [formatError(e, makeStyle(false), false), formatError(e, makeStyle(false), true)].join("\n");

function pgProject(database: string, sql: string) {
  const p = seedProject({ postgres: { app: { target: { compose: "postgres" }, database, password: "s3cret-pg", sql: "seed" } } }, { "seed/001-roles.sql": sql });
  projects.push(p);
  return p;
}
function redisProject(db: number, commands: string) {
  const p = seedProject({ redis: { cache: { target: { compose: "redis" }, db, password: "s3cret-redis", fixtures: "fixtures" } } }, { "fixtures/01-acl.redis": commands });
  projects.push(p);
  return p;
}
const pgOpts = (): SeedOptions => ({ target: "compose", reach: reachAt(pgServer.host, pgServer.port), timeoutMs: 10_000 });
const redisOpts = (): SeedOptions => ({ target: "compose", reach: reachAt(redisServer.host, redisServer.port), timeoutMs: 10_000 });

describe("a failing seed statement never prints its secret", () => {
  it("CREATE ROLE … PASSWORD '…' with a syntax error: file:line, the statement masked", async () => {
    const p = pgProject("roles1", "select 1;\nCREATE ROLE app LOGIN PASSWORD 'topsecret-create' NOSUCHOPTION;\n");
    const e = await failure(runSeeds(p.env, pgOpts()));
    expect(e.where).toMatch(/^seed\/001-roles\.sql:2:\d+$/);
    expect(e.details).toMatch(/statement: CREATE ROLE app LOGIN PASSWORD '\*\*\*' NOSUCHOPTION/);
    const out = printed(e);
    expect(out).not.toContain("topsecret-create");
    expect(formatError(e, makeStyle(false), false)).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });

  it("ALTER USER … WITH PASSWORD for a missing role (no position: found by replay)", async () => {
    const p = pgProject("roles2", "select 1;\n\nALTER USER nobody_here WITH ENCRYPTED PASSWORD 'topsecret-alter';\n");
    const e = await failure(runSeeds(p.env, pgOpts()));
    expect(e.message).toMatch(/role "nobody_here" does not exist/);
    expect(e.where).toMatch(/^seed\/001-roles\.sql:3:1$/);
    expect(e.details).toMatch(/statement: ALTER USER nobody_here WITH ENCRYPTED PASSWORD '\*\*\*'/);
    expect(printed(e)).not.toContain("topsecret-alter");
  });

  it("ACL SETUSER whose password hash Redis rejects (Redis echoes the rule): the command named, no argument", async () => {
    const p = redisProject(3, "SET a 1\nACL SETUSER seeduser on #topsecret-hash ~* +@all\n");
    const e = await failure(runSeeds(p.env, redisOpts()));
    expect(e.where).toBe("fixtures/01-acl.redis:2");
    expect(e.message).toMatch(/^fixtures\/01-acl\.redis: Redis refused ACL SETUSER \(its arguments are not shown: they hold a secret\)/);
    const out = printed(e);
    expect(out).not.toContain("topsecret-hash");
    expect(out).not.toContain("seeduser on");
  });

  it("AUTH with a wrong password: the command named, no argument", async () => {
    const p = redisProject(4, "AUTH default topsecret-auth\n");
    const e = await failure(runSeeds(p.env, redisOpts()));
    expect(e.where).toBe("fixtures/01-acl.redis:1");
    expect(e.message).toMatch(/Redis refused AUTH \(its arguments are not shown/);
    expect(printed(e)).not.toContain("topsecret-auth");
  });
});

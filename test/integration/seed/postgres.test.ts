// Postgres seeding against a real PostgreSQL 15 started from Debian's binaries.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPgServer, type PgServer } from "../../helpers/pg-server.js";
import { isDevenvError, type DevenvError } from "../../../src/errors/devenv-error.js";
import { resetData, runSeeds, type SeedOptions } from "../../../src/seed/index.js";
import { reachAt, seedProject, type SeedProject } from "./seed-env.js";

let server: PgServer;
const projects: SeedProject[] = [];

beforeAll(async () => {
  server = await startPgServer("s3cret-pg");
});
afterAll(async () => {
  projects.forEach((p) => p.remove());
  await server?.stop();
});

const SCHEMA = "create table users (id int primary key, name text not null);\n";
const USERS = "insert into users values (1, 'ada');\ninsert into users values (2, 'bob');\n";

function project(database: string, files: Record<string, string>, password: unknown = "s3cret-pg") {
  const p = seedProject({ postgres: { app: { target: { compose: "postgres" }, database, password, sql: "seed" } } }, files);
  projects.push(p);
  return p;
}
const opts = (extra: Partial<SeedOptions> = {}): SeedOptions => ({ target: "compose", reach: reachAt(server.host, server.port), timeoutMs: 10_000, ...extra });

async function query<T extends pg.QueryResultRow>(database: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ host: server.host, port: server.port, user: "postgres", password: server.password, database });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

async function failure(p: Promise<unknown>): Promise<DevenvError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!isDevenvError(e)) throw new Error(`expected a DevenvError, got ${String(e)}`);
  return e;
}

describe("postgres seeds on a real server", () => {
  it("creates the database, applies every file once, and applies nothing the second time", async () => {
    const p = project("shop", { "seed/001-schema.sql": SCHEMA, "seed/002-users.sql": USERS });
    const first = await runSeeds(p.env, opts());
    expect(first.applied).toEqual(["postgres.app seed/001-schema.sql", "postgres.app seed/002-users.sql"]);
    const second = await runSeeds(p.env, opts());
    expect(second.applied).toEqual([]);
    expect(second.skipped).toHaveLength(2);
    expect(await query("shop", "select count(*)::int as n from users")).toEqual([{ n: 2 }]);
    const history = await query<{ file: string; checksum: string }>("shop", "select file, checksum from devenv_seed_history order by file");
    expect(history.map((h) => h.file)).toEqual(["seed/001-schema.sql", "seed/002-users.sql"]);
    expect(history[0]!.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a changed file with the fix, and re-applies it with --force", async () => {
    const p = project("shop2", { "seed/001-schema.sql": SCHEMA, "seed/002-users.sql": USERS });
    await runSeeds(p.env, opts());
    p.write("seed/002-users.sql", "insert into users values (3, 'cy');\n");
    const e = await failure(runSeeds(p.env, opts()));
    expect(e.message).toContain("seed/002-users.sql");
    expect(e.hint).toContain("devenv seed --force");
    expect(e.hint).toContain("devenv reset --data");
    expect(await query("shop2", "select count(*)::int as n from users")).toEqual([{ n: 2 }]);
    const forced = await runSeeds(p.env, opts({ force: true }));
    expect(forced.applied).toEqual(["postgres.app seed/002-users.sql"]);
    expect(await query("shop2", "select id from users order by id")).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    expect((await runSeeds(p.env, opts())).applied).toEqual([]);
  });

  it("reports file, line and statement of a failing file and keeps nothing of it", async () => {
    const bad = "insert into users values (10, 'kept?');\n\n-- the typo\nselect * from no_such_table;\ninsert into users values (11, 'x');\n";
    const p = project("shop3", { "seed/001-schema.sql": SCHEMA, "seed/002-bad.sql": bad });
    const e = await failure(runSeeds(p.env, opts()));
    expect(e.where).toBe("seed/002-bad.sql:4:15");
    expect(e.message).toContain('relation "no_such_table" does not exist');
    expect(e.details).toContain("statement: select * from no_such_table");
    expect(await query("shop3", "select count(*)::int as n from users")).toEqual([{ n: 0 }]);
    expect(await query("shop3", "select file from devenv_seed_history")).toEqual([{ file: "seed/001-schema.sql" }]);
  });

  it("finds the statement of a runtime error that has no position", async () => {
    const bad = "insert into users values (20, 'a');\ninsert into users values (21, 'b'),\n  (20, 'dup');\n";
    const p = project("shop4", { "seed/001-schema.sql": SCHEMA, "seed/002-dup.sql": bad });
    const e = await failure(runSeeds(p.env, opts()));
    expect(e.where).toBe("seed/002-dup.sql:2:1");
    expect(e.message).toContain("duplicate key");
    expect(e.details).toContain("statement: insert into users values (21, 'b'), (20, 'dup')");
    expect(await query("shop4", "select count(*)::int as n from users")).toEqual([{ n: 0 }]);
  });

  it("reset --data leaves exactly the seeded state", async () => {
    const p = project("shop5", { "seed/001-schema.sql": SCHEMA, "seed/002-users.sql": USERS });
    await runSeeds(p.env, opts());
    await query("shop5", "insert into users values (99, 'stray'); create table scratch(x int)");
    const r = await resetData(p.env, opts());
    expect(r.applied).toHaveLength(2);
    expect(await query("shop5", "select id, name from users order by id")).toEqual([{ id: 1, name: "ada" }, { id: 2, name: "bob" }]);
    expect(await query("shop5", "select to_regclass('public.scratch') as t")).toEqual([{ t: null }]);
  });

  it("--dry-run plans against the history and changes nothing", async () => {
    const p = project("shop6", { "seed/001-schema.sql": SCHEMA });
    const r = await runSeeds(p.env, opts({ dryRun: true }));
    expect(r.plan).toEqual(["postgres.app: apply seed/001-schema.sql"]);
    expect(await query("postgres", "select count(*)::int as n from pg_database where datname = 'shop6'")).toEqual([{ n: 0 }]);
  });

  it("says clearly when the password is wrong", async () => {
    const p = project("shop7", { "seed/001-schema.sql": SCHEMA }, "not-the-password");
    const e = await failure(runSeeds(p.env, opts()));
    expect(e.message).toContain('rejected user "postgres": wrong password');
    expect(e.message).not.toContain("not-the-password");
  });

  it("gives up on a server that is down after a bounded wait, naming it", async () => {
    const p = project("shop8", { "seed/001-schema.sql": SCHEMA });
    const e = await failure(runSeeds(p.env, opts({ reach: reachAt("127.0.0.1", 1), timeoutMs: 1500 })));
    expect(e.message).toMatch(/^timed out after 1\.5 s waiting for Postgres \(test server 127\.0\.0\.1:1\) at 127\.0\.0\.1:1 to accept connections: .*ECONNREFUSED/);
    expect(e.hint).toContain("devenv seed");
  });

  it("reads the password from the environment", async () => {
    process.env.DEVENV_TEST_PG_PASSWORD = "s3cret-pg";
    const p = project("shop9", { "seed/001-schema.sql": SCHEMA }, { env: "DEVENV_TEST_PG_PASSWORD" });
    expect((await runSeeds(p.env, opts())).applied).toHaveLength(1);
    delete process.env.DEVENV_TEST_PG_PASSWORD;
  });
});

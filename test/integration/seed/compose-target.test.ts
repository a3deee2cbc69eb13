// The compose-target connection path on the real engine: containers of the local images found by
// their compose labels; Postgres through its published port, Redis through its bridge IP.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { devenv } from "../../helpers/cli.js";
import { describeDocker, LOCAL_IMAGES } from "../../helpers/docker.js";
import { docker } from "../../../src/docker/client.js";
import { isDevenvError } from "../../../src/errors/devenv-error.js";
import { runSeeds } from "../../../src/seed/index.js";
import { seedProject, type SeedProject } from "./seed-env.js";

const project = `devenvseed${randomBytes(4).toString("hex")}`;
/** IDs of the containers started here. */
const started: string[] = [];

async function composeContainer(service: string, image: string, opts: { cmd?: string[]; env?: string[]; publish?: number }): Promise<void> {
  const d = await docker();
  const id = await d.containers.create({
    name: `${project}-${service}-1`,
    Image: image,
    Cmd: opts.cmd,
    Env: opts.env,
    Labels: { "com.docker.compose.project": project, "com.docker.compose.service": service },
    ExposedPorts: opts.publish ? { [`${opts.publish}/tcp`]: {} } : undefined,
    HostConfig: opts.publish ? { PortBindings: { [`${opts.publish}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: "" }] } } : {},
  });
  started.push(id);
  await d.containers.start(id);
}

describeDocker("seeding the compose setup's containers (real engine)", () => {
  let p: SeedProject;
  let seeds: Record<string, unknown>;
  beforeAll(async () => {
    await composeContainer("db", LOCAL_IMAGES.postgres, { env: ["POSTGRES_USER=app", "POSTGRES_PASSWORD=app-pw", "POSTGRES_DB=app"], publish: 5432 });
    await composeContainer("cache", LOCAL_IMAGES.redis, { cmd: ["redis-server", "--requirepass", "cache-pw"] });
    seeds = {
      postgres: { app: { target: { compose: "db", port: 5432 }, database: "app", user: "app", password: { env: "DB_PASSWORD" }, sql: "sql" } },
      redis: { cache: { target: { compose: "cache" }, password: "cache-pw", fixtures: ["redis/keys.yaml"] } },
    };
    p = seedProject(
      seeds,
      { "sql/001.sql": "create table t (id int);\ninsert into t values (1);\n", "redis/keys.yaml": "- { key: hello, type: string, value: world, ttl: 60 }\n", ".env": "DB_PASSWORD=app-pw\n" },
      { name: project },
    );
  });
  afterAll(async () => {
    const d = await docker();
    await Promise.all(started.map((id) => d.containers.remove(id, { force: true, v: true }).catch(() => undefined)));
    p?.remove();
  });

  it("finds the services by their compose labels and seeds them exactly once", async () => {
    const first = await runSeeds(p.env, { target: "compose", timeoutMs: 90_000 });
    expect(first.applied).toEqual(["postgres.app sql/001.sql", "redis.cache redis/keys.yaml"]);
    const second = await runSeeds(p.env, { target: "compose", timeoutMs: 30_000 });
    expect(second.applied).toEqual([]);
    expect(second.skipped).toHaveLength(2);
  });

  it("`devenv seed` prints the plan on --dry-run and refuses a changed file with the fix (CLI)", async () => {
    p.write("devenv.ts", `export default ${JSON.stringify({ name: project, seeds })};\n`);
    const env = { DEVENV_FROM_SOURCE: "1" };
    const plan = await devenv(["seed", "--target", "compose", "--dry-run"], { cwd: p.root, env });
    expect(plan.stdout).toContain("postgres.app: skip (unchanged) sql/001.sql");
    expect(plan.code).toBe(0);
    p.write("sql/001.sql", "create table t (id int);\n");
    const refused = await devenv(["seed", "--target", "compose"], { cwd: p.root, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("sql/001.sql");
    expect(refused.stderr).toContain("devenv seed --force");
    expect(refused.stderr).not.toContain("    at "); // no stack trace for a user error
  });

  it("says which compose service is not running", async () => {
    const q = seedProject({ redis: { other: { target: { compose: "missing" }, fixtures: "k.yaml" } } }, { "k.yaml": "[]" }, { name: project });
    const e = await runSeeds(q.env, { target: "compose" }).catch((err: unknown) => err);
    q.remove();
    expect(isDevenvError(e) && e.message).toBe(`compose service "missing" of compose project "${project}" is not running`);
  });
});

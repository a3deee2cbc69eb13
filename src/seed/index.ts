// Seeding as a library, used by `up`, `devenv seed` and `reset --data`: read and check every
// seed file first, reach every server, plan all seeds against their recorded history, refuse
// changed files before anything runs, then apply file by file (each exactly once).
import type { LoadedEnv } from "../config/load.js";
import type { KubeRest } from "../kube/rest.js";
import type { PostgresSeed, RedisSeed } from "../config/schema.js";
import type { Target } from "../model/index.js";
import { resolveCredential, type CredentialContext } from "./credentials.js";
import { reachTarget, type Endpoint, type SeedTarget } from "./endpoint.js";
import { FIXTURE_EXTS, listSeedFiles, readSeedFiles, SQL_EXTS, type SeedFile } from "./files.js";
import { runComposeMigration, waitForMigrationJob } from "./migrate.js";
import { formatPlan, planSeedFiles, refusalError, type PlannedFile, type SeedHistory } from "./plan.js";
import { containerFacts, migrationKey, readMigrationStamps, writeMigrationStamp } from "./migrate-stamp.js";
import { applySqlFile, connectPg, databaseOid as databaseOidOf, ensureDatabase, ensureHistoryTable, readPgHistory, recreateDatabase, type PgEndpoint } from "./postgres.js";
import { applyRedisFile, connectRedis, flushRedisDb, readRedisHistory, type RedisEndpoint } from "./redis.js";
import type { RedisCommand } from "./redis-commands.js";
import { parseRedisCommands } from "./redis-commands.js";
import { parseRedisFixtures } from "./redis-fixtures.js";
import { contextOf } from "../cluster/traits.js";

export interface SeedOptions {
  target: Target;
  /** Re-apply files whose checksum changed. */
  force?: boolean;
  /** Kube context (cluster target); default: cluster.context or `<provider>-<name>`. */
  context?: string;
  log?: (line: string) => void;
  /** Only read history and return the plan; change nothing. */
  dryRun?: boolean;
  /** How long to wait for each server (default 60 s). */
  timeoutMs?: number;
  /** How to reach a target; default: compose labels (compose) or a port-forward (cluster). */
  reach?: (seed: SeedTarget, defaultPort: number, path: string) => Promise<Endpoint>;
}

export interface SeedReport {
  /** `<seed> <file>` of each file applied this run. */
  applied: string[];
  /** `<seed> <file>` of each file skipped as unchanged. */
  skipped: string[];
  /** One line per file: what was (or, with dryRun, would be) done. */
  plan: string[];
}

/** A seed whose server is reachable and whose history is read. */
interface OpenSeed {
  id: string;
  history: SeedHistory;
  files: SeedFile[];
  apply(file: SeedFile): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT = 60_000;

export async function runSeeds(env: LoadedEnv, opts: SeedOptions): Promise<SeedReport> {
  const report: SeedReport = { applied: [], skipped: [], plan: [] };
  const opened: OpenSeed[] = [];
  const ctx = session(env, opts);
  try {
    // Postgres seeds one after another (their migrations may share a server), Redis seeds beside
    // them; whatever opened is closed below, whichever failed.
    const pgSeeds: OpenSeed[] = [];
    const redis: (OpenSeed | undefined)[] = [];
    const settled = await Promise.allSettled([
      (async () => {
        for (const [name, spec] of Object.entries(env.config.seeds.postgres)) pgSeeds.push(await openPostgres(env, name, spec, opts, ctx));
      })(),
      ...Object.entries(env.config.seeds.redis).map(async ([name, spec], i) => void (redis[i] = await openRedis(env, name, spec, opts, ctx))),
    ]);
    opened.push(...pgSeeds, ...redis.filter((s): s is OpenSeed => s !== undefined));
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failure) throw failure.reason;
    const plans = opened.map((s) => ({ seed: s, planned: planSeedFiles(s.files, s.history, opts.force) }));
    for (const p of plans) report.plan.push(...formatPlan(p.seed.id, p.planned));
    if (opts.dryRun) return report;
    const refused = plans.map((p) => refusalError(p.seed.id, p.planned)).find(Boolean);
    if (refused) throw refused;
    for (const { seed, planned } of plans) await applyPlanned(seed, planned, report, opts.log);
    return report;
  } finally {
    await Promise.all(opened.map((s) => s.close().catch(() => undefined)));
    await ctx.close();
  }
}

/** Drops and recreates the seeded databases, flushes Redis, then seeds again. */
export async function resetData(env: LoadedEnv, opts: SeedOptions): Promise<SeedReport> {
  const ctx = session(env, opts);
  try {
    for (const [name, spec] of Object.entries(env.config.seeds.postgres)) {
      const ep = await pgEndpoint(name, spec, opts, ctx);
      // Said once done (or, with --dry-run, as what would be done): never before it happened.
      if (opts.dryRun) opts.log?.(`postgres.${name}: would drop and recreate database "${spec.database}"`);
      else {
        await recreateDatabase(ep, opts.timeoutMs ?? DEFAULT_TIMEOUT);
        opts.log?.(`postgres.${name}: dropped and recreated database "${spec.database}"`);
      }
    }
    for (const [name, spec] of Object.entries(env.config.seeds.redis)) {
      const r = await connectRedis(await redisEndpoint(name, spec, opts, ctx), opts.timeoutMs ?? DEFAULT_TIMEOUT);
      try {
        if (opts.dryRun) opts.log?.(`redis.${name}: would flush db ${spec.db}`);
        else {
          await flushRedisDb(r);
          opts.log?.(`redis.${name}: flushed db ${spec.db}`);
        }
      } finally {
        r.disconnect();
      }
    }
  } finally {
    await ctx.close();
  }
  return runSeeds(env, { ...opts, force: false });
}

async function applyPlanned(seed: OpenSeed, planned: PlannedFile[], report: SeedReport, log?: (line: string) => void): Promise<void> {
  for (const { file, action } of planned) {
    const entry = `${seed.id} ${file.name}`;
    if (action === "skip") {
      report.skipped.push(entry);
      continue;
    }
    await seed.apply(file);
    report.applied.push(entry);
    log?.(`${seed.id}: ${action === "reapply" ? "re-applied" : "applied"} ${file.name}`);
  }
}

/** What one run shares: credentials context, a lazily made API client, open endpoints to close. */
function session(env: LoadedEnv, opts: SeedOptions) {
  let rest: Promise<KubeRest> | undefined;
  const endpoints: Endpoint[] = [];
  const kube = () => (rest ??= import("../kube/rest.js").then((m) => m.KubeRest.forContext(opts.context ?? contextOf(env.config.cluster))));
  const creds: CredentialContext = { env, target: opts.target, kube };
  const reach = async (t: SeedTarget, port: number, path: string) => {
    const ep = await (opts.reach ?? ((a, b, c) => reachTarget(env, opts.target, a, b, c, kube)))(t, port, path);
    endpoints.push(ep);
    return ep;
  };
  return { creds, kube, reach, close: async () => void (await Promise.all(endpoints.map((e) => e.close().catch(() => undefined)))) };
}
type Session = ReturnType<typeof session>;


async function pgEndpoint(name: string, spec: PostgresSeed, opts: SeedOptions, ctx: Session): Promise<PgEndpoint> {
  const path = `seeds.postgres.${name}`;
  const user = await resolveCredential(spec.user, `${path}.user`, ctx.creds);
  const password = spec.password === undefined ? undefined : await resolveCredential(spec.password, `${path}.password`, ctx.creds);
  const ep = await ctx.reach(spec.target, 5432, path);
  return { host: ep.host, port: ep.port, user, password, database: spec.database, label: ep.label, failure: ep.failure && (() => ep.failure!()) };
}

async function redisEndpoint(name: string, spec: RedisSeed, opts: SeedOptions, ctx: Session): Promise<RedisEndpoint> {
  const path = `seeds.redis.${name}`;
  const password = spec.password === undefined ? undefined : await resolveCredential(spec.password, `${path}.password`, ctx.creds);
  const ep = await ctx.reach(spec.target, 6379, path);
  return { host: ep.host, port: ep.port, password, db: spec.db, label: ep.label, failure: ep.failure && (() => ep.failure!()) };
}

async function openPostgres(env: LoadedEnv, name: string, spec: PostgresSeed, opts: SeedOptions, ctx: Session): Promise<OpenSeed> {
  const path = `seeds.postgres.${name}`;
  const files = readSeedFiles(env.root, listSeedFiles(env.root, spec.sql, SQL_EXTS, `${path}.sql`));
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT;
  if (spec.migrate && !opts.dryRun) {
    if (opts.target === "compose" && spec.migrate.compose) await migrateCompose(env, name, spec, spec.migrate.compose, opts, ctx);
    if (opts.target === "cluster" && spec.migrate.job) await waitForMigrationJob(await ctx.kube(), env.namespace, spec.migrate.job, `${path}.migrate.job`, opts.timeoutMs ?? 300_000);
  }
  const ep = await pgEndpoint(name, spec, opts, ctx);
  const created = opts.dryRun ? false : await ensureDatabase(ep, timeout);
  if (created) opts.log?.(`postgres.${name}: created database "${spec.database}"`);
  const client = await connectPg(ep, timeout).catch((e: unknown) => {
    // --dry-run does not create the database: a missing one simply has no history.
    if (opts.dryRun && /does not exist/.test(String((e as Error).message))) return undefined;
    throw e;
  });
  if (client && !opts.dryRun) await ensureHistoryTable(client);
  const history = client ? await readPgHistory(client) : new Map<string, string>();
  return { id: `postgres.${name}`, files, history, apply: (f) => applySqlFile(client!, f), close: async () => void (await client?.end()) };
}

/**
 * The compose migration, unless provably done already: its container as `compose up` left it,
 * the Postgres container and the database are the ones of the last successful run (see
 * migrate-stamp.ts). Anything unknown (no stamp, no container, server not up) runs it.
 */
async function migrateCompose(env: LoadedEnv, name: string, spec: PostgresSeed, service: string, opts: SeedOptions, ctx: Session): Promise<void> {
  const id = `postgres.${name}`;
  const timeout = opts.timeoutMs ?? DEFAULT_TIMEOUT;
  const key = async () => {
    if (!spec.target.compose) return undefined;
    const [containers, databaseOid] = await Promise.all([containerFacts(env, service, spec.target.compose), pgEndpoint(name, spec, opts, ctx).then((ep) => databaseOidOf(ep, timeout))]);
    return migrationKey({ ...containers, databaseOid });
  };
  const before = await key().catch(() => undefined);
  if (before && readMigrationStamps(env)[id] === before) {
    opts.log?.(`${id}: migration "${service}" not run again (its container, the server and the database are those it last ran against)`);
    return;
  }
  writeMigrationStamp(env, id, undefined); // an interrupted run leaves no stamp behind
  await runComposeMigration(env, service);
  writeMigrationStamp(env, id, await key().catch(() => undefined));
}

async function openRedis(env: LoadedEnv, name: string, spec: RedisSeed, opts: SeedOptions, ctx: Session): Promise<OpenSeed> {
  const path = `seeds.redis.${name}`;
  const files = readSeedFiles(env.root, listSeedFiles(env.root, spec.fixtures, FIXTURE_EXTS, `${path}.fixtures`));
  // Parse every file before touching the server, so a malformed one stops the run up front.
  const commands = new Map<string, RedisCommand[]>(files.map((f) => [f.name, f.name.endsWith(".redis") ? parseRedisCommands(f.content, f.name) : parseRedisFixtures(f.content, f.name)]));
  const r = await connectRedis(await redisEndpoint(name, spec, opts, ctx), opts.timeoutMs ?? DEFAULT_TIMEOUT);
  return { id: `redis.${name}`, files, history: await readRedisHistory(r), apply: (f) => applyRedisFile(r, f, commands.get(f.name)!), close: async () => void r.disconnect() };
}

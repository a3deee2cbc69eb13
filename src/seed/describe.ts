// What seeding would touch, said without connecting anywhere (for `up --dry-run`).
import type { LoadedEnv } from "../config/load.js";
import type { Target } from "../model/index.js";
import { FIXTURE_EXTS, listSeedFiles, SQL_EXTS } from "./files.js";

/** What seeding would touch, without connecting anywhere (for `up --dry-run`). */
export function describeSeeds(env: LoadedEnv, target: Target): string[] {
  const where = (t: { compose?: string; service?: string }) => (target === "compose" ? `compose service ${t.compose ?? "(none)"}` : `Service ${env.namespace}/${t.service ?? "(none)"}`);
  const list = (x: string | string[]) => (Array.isArray(x) ? x.join(", ") : `${x}/`);
  const pg = Object.entries(env.config.seeds.postgres).map(([n, s]) => {
    const migrate = target === "compose" ? s.migrate?.compose && `after \`compose run --rm ${s.migrate.compose}\`` : s.migrate?.job && `after Job ${s.migrate.job} succeeds`;
    return `postgres.${n}: database "${s.database}" on ${where(s.target)} from ${list(s.sql)}${migrate ? `, ${migrate}` : ""} (files not yet recorded in devenv_seed_history)`;
  });
  const redis = Object.entries(env.config.seeds.redis).map(([n, s]) => `redis.${n}: db ${s.db} on ${where(s.target)} from ${list(s.fixtures)} (files not yet recorded in devenv:seed:history)`);
  return [...pg, ...redis];
}

/** Lists (without reading) every seed's files, so that a missing file or an empty directory fails `up --dry-run` as it would fail `up`. */
export function checkSeedFiles(env: LoadedEnv): void {
  for (const [n, s] of Object.entries(env.config.seeds.postgres)) listSeedFiles(env.root, s.sql, SQL_EXTS, `seeds.postgres.${n}.sql`);
  for (const [n, s] of Object.entries(env.config.seeds.redis)) listSeedFiles(env.root, s.fixtures, FIXTURE_EXTS, `seeds.redis.${n}.fixtures`);
}

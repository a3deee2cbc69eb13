// The step of `up` that seeds Postgres and Redis exactly once (issue #5). In the cluster it runs
// after the data wave (the servers and their Secrets exist) and before the apps.
import type { Step } from "../steps/step.js";
import type { UpContext } from "../steps/context.js";
import type { LoadedEnv } from "../config/load.js";
import type { Target } from "../steps/context.js";

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

export function seedStep(after: string[]): Step<UpContext> {
  return {
    id: "seed",
    title: "Seed Postgres and Redis",
    after,
    plan: (ctx) => {
      const lines = describeSeeds(ctx.env, ctx.target);
      return lines.length ? lines : ["no seeds declared"];
    },
    check: async (ctx) => (describeSeeds(ctx.env, ctx.target).length ? false : "no seeds declared"),
    run: async (ctx, task) => {
      const { runSeeds } = await import("./index.js");
      const r = await runSeeds(ctx.env, { target: ctx.target, context: ctx.cluster?.context, log: (l) => task.output(l) });
      task.title(`Seed Postgres and Redis: ${r.applied.length} applied, ${r.skipped.length} unchanged`);
    },
  };
}

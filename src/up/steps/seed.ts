// seed: Postgres and Redis, exactly once per seed file. In the cluster it runs after the data
// wave (the servers and their Secrets exist) and before the apps.
import type { StepDefinition } from "../../runner/step.js";
import type { UpContext } from "../context.js";
import { checkSeedFiles, describeSeeds } from "../../seed/describe.js";

export const seedStep: StepDefinition<UpContext> = {
  id: "seed",
  title: "Seed Postgres and Redis",
  plan: (ctx) => {
    checkSeedFiles(ctx.env);
    const lines = describeSeeds(ctx.env, ctx.target);
    return lines.length ? lines : ["no seeds declared"];
  },
  check: async (ctx) => (describeSeeds(ctx.env, ctx.target).length ? false : "no seeds declared"),
  run: async (ctx, task) => {
    const { runSeeds } = await import("../../seed/index.js");
    const r = await runSeeds(ctx.env, { target: ctx.target, context: ctx.cluster?.context, log: (l) => task.output(l) });
    task.title(`Seed Postgres and Redis: ${r.applied.length} applied, ${r.skipped.length} unchanged`);
  },
};

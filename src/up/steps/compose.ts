// compose-up (`up --target compose`): the stack under docker compose, with content-tagged
// images through the override, then a wait for health. `up -d` is idempotent, and the check
// skips the step when every service already runs the image it should and nothing compose reads
// changed since the last successful up.
import { commandLine } from "../../exec/runner.js";
import type { StepDefinition } from "../../runner/step.js";
import type { UpContext } from "../context.js";
import { composeArgs, composeUp, composeUpToDate, loadEnvCompose, overridePath } from "../../compose/run.js";
import { planComposeOverride } from "../../compose/override.js";

export const composeUpStep: StepDefinition<UpContext> = {
  id: "compose-up",
  title: "Start the stack with docker compose",
  plan(ctx) {
    const project = loadEnvCompose(ctx.env);
    const o = planComposeOverride({ services: Object.values(project.services), images: ctx.env.config.images, root: ctx.env.root, built: ctx.images, imageOverrides: ctx.env.config.imageOverrides });
    return [
      `write ${overridePath(ctx.env)}`,
      ...Object.entries(o.expected).map(([svc, image]) => `${svc}: ${o.builtBy[svc] ? `devenv image "${o.builtBy[svc]}"` : image}`),
      commandLine("compose", [...composeArgs(ctx.env, false), "up", "-d", "--no-build", "--remove-orphans"]),
      "wait until every service is healthy (one-shot services: exited 0)",
      ...(project.disabled.length ? [`not started (profile off): ${project.disabled.join(", ")}`] : []),
    ];
  },
  // Skipped when every service runs its expected image, ready, and nothing compose reads
  // changed since the last successful up (the stamp in .devenv/, checked against the engine).
  check: (ctx) => composeUpToDate(ctx.env, ctx.images),
  async run(ctx, task) {
    await composeUp(ctx.env, ctx.images, { log: (line) => task.output(line) });
  },
};

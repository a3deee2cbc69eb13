// compose-up (`up --target compose`): the stack under docker compose, with content-tagged
// images through the override, then a wait for health. `up -d` is idempotent, and the check
// skips the step when every service already runs the image it should.
import { commandLine } from "../../exec/runner.js";
import type { StepDefinition } from "../../runner/step.js";
import type { UpContext } from "../context.js";
import { composeArgs, composePs, composeUp, loadEnvCompose, overridePath, serviceVerdict } from "../../compose/run.js";
import { planComposeOverride } from "../../compose/override.js";
import { isOneShot } from "../../compose/roles.js";

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
  async check(ctx) {
    const project = loadEnvCompose(ctx.env);
    const o = planComposeOverride({ services: Object.values(project.services), images: ctx.env.config.images, root: ctx.env.root, built: ctx.images, imageOverrides: ctx.env.config.imageOverrides });
    const states = await composePs(ctx.env).catch(() => []);
    const upToDate = Object.values(project.services).every((svc) => {
      const mine = states.filter((s) => s.service === svc.name);
      const expected = o.expected[svc.name];
      return serviceVerdict(mine, isOneShot(project, svc)) === "ready" && (!expected || mine.every((s) => s.image === expected));
    });
    return upToDate ? "running: every service runs its expected image" : false;
  },
  async run(ctx, task) {
    await composeUp(ctx.env, ctx.images, { log: (line) => task.output(line) });
  },
};

// `devenv up`: load devenv.ts, compute the steps, print them (--dry-run) or run them.
import type { Command } from "../cli.js";
import { setInterruptHint, untilInterrupted } from "../interrupt.js";
import { loadEnv } from "../../config/load.js";
import type { Target } from "../../model/index.js";
import type { UpContext } from "../../up/context.js";
import { upSteps } from "../../up/pipeline.js";
import { preloadUp } from "../../up/preload.js";
import { formatPlan, planSteps, runSteps } from "../../runner/run.js";
import { restrict } from "../../runner/step.js";
import { configError } from "../../errors/devenv-error.js";

export interface UpOptions {
  target?: Target;
  watch?: boolean;
  only?: string;
  /** `statefulset/postgres,...`: re-created (orphaning pods and PVCs) rather than patched. */
  recreate?: string;
}

const up: Command<UpOptions> = async (cli, opts) => {
  await preloadUp(opts.target ?? "cluster"); // before devenv.ts installs tsx's loader hooks
  const env = await loadEnv(cli.opts.env, cli.cwd);
  const ctx: UpContext = {
    env,
    target: opts.target ?? "cluster",
    dryRun: cli.opts.dryRun,
    yes: cli.opts.yes,
    verbose: cli.opts.verbose,
    watch: Boolean(opts.watch),
    images: new Map(),
    recreate: opts.recreate ? opts.recreate.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean) : undefined,
    log: (line) => cli.err(line),
  };
  let steps = upSteps(ctx);
  if (opts.only !== undefined) {
    const wanted = opts.only.split(",").map((s) => s.trim()).filter(Boolean);
    if (!wanted.length) throw configError(`--only ${JSON.stringify(opts.only)} names no step`, "--only", `name one or more steps, comma-separated: ${steps.map((s) => s.id).join(", ")}; or leave --only out to run them all`);
    const unknown = wanted.filter((id) => !steps.some((s) => s.id === id));
    if (unknown.length) throw configError(`--only names unknown step${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`, "--only", `steps of this up: ${steps.map((s) => s.id).join(", ")}`);
    steps = restrict(steps, wanted); // keeps their order through the steps left out
  }
  if (ctx.dryRun) {
    const plan = await planSteps(steps, ctx);
    if (cli.opts.json) cli.out(JSON.stringify({ outcome: "plan", environment: env.config.name, target: ctx.target, steps: plan }, null, 2));
    else cli.out(`Plan for ${cli.style.bold(env.config.name)} (target: ${ctx.target}, env: ${env.file}):\n${formatPlan(plan)}\n\nNothing was changed (--dry-run).`);
    return 0;
  }
  setInterruptHint("run `devenv up` again: it completes what this one started");
  const results = await runSteps(steps, ctx, { plain: cli.opts.verbose || undefined, silent: cli.opts.json });
  if (ctx.watching) {
    await untilInterrupted();
    await ctx.watching.stop();
    return 0;
  }
  if (cli.opts.json) cli.out(JSON.stringify({ outcome: "up", environment: env.config.name, target: ctx.target, steps: results }, null, 2));
  else cli.err(cli.style.green(opts.only ? ranOnly(results) : `✓ ${env.config.name} is up (${ctx.target})`));
  return 0;
};
export default up;

/** After `--only`: which steps ran and which had nothing to do; the environment is not "up". */
export function ranOnly(results: { id: string; status: "done" | "skipped"; reason?: string }[]): string {
  const ran = results.filter((r) => r.status === "done").map((r) => r.id);
  const skipped = results.filter((r) => r.status === "skipped").map((r) => `${r.id} (${r.reason ?? "skipped"})`);
  return `✓ ran ${ran.length ? ran.join(", ") : "no step"}${skipped.length ? `; skipped ${skipped.join(", ")}` : ""} (--only: the other steps of \`devenv up\` did not run)`;
}


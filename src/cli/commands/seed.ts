// `devenv seed`: run the Postgres and Redis seeds alone, each file exactly once (--dry-run: the
// plan against the recorded history; --force: re-run files changed since they were applied).
import type { Command } from "../cli.js";
import { loadEnv } from "../../config/load.js";
import type { Target } from "../../model/index.js";
import { runSeeds } from "../../seed/index.js";

export interface SeedCommandOptions {
  target?: Target;
  force?: boolean;
}

const seed: Command<SeedCommandOptions> = async (cli, opts) => {
  const env = await loadEnv(cli.opts.env, cli.cwd);
  const target = opts.target ?? "cluster";
  const report = await runSeeds(env, { target, force: Boolean(opts.force), dryRun: cli.opts.dryRun, log: cli.opts.json ? undefined : (l) => cli.err(l) });
  if (cli.opts.json) {
    cli.out(JSON.stringify({ outcome: cli.opts.dryRun ? "plan" : "seeded", environment: env.config.name, target, ...report }, null, 2));
    return 0;
  }
  if (cli.opts.dryRun) {
    cli.out(report.plan.length ? report.plan.join("\n") : "no seeds declared");
    cli.out("\nNothing was changed (--dry-run).");
    return 0;
  }
  cli.out(`${cli.style.green("✓")} seeded ${env.config.name} (${target}): ${report.applied.length} applied, ${report.skipped.length} unchanged`);
  return 0;
};
export default seed;

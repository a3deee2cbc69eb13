// `devenv reset`: data only (default), the cluster (--cluster), or also the registry and
// .devenv/ (--all). Asks first on a terminal; needs --yes otherwise.
import type { Command } from "../cli.js";
import type { Target } from "../../model/index.js";
import { loadEnv } from "../../config/load.js";
import { configError } from "../../errors/devenv-error.js";
import { confirm } from "../../cluster/confirm.js";
import { resetPlan, resetScope, runReset } from "../../lifecycle/reset.js";

interface ResetOptions {
  data?: boolean;
  cluster?: boolean;
  all?: boolean;
  target?: Target;
}

const reset: Command<ResetOptions> = async (cli, opts) => {
  const scopes = (["data", "cluster", "all"] as const).filter((k) => opts[k]);
  if (scopes.length > 1) throw configError(`devenv reset takes one scope, not ${scopes.map((k) => `--${k}`).join(" ")}`, "devenv reset", "pass one of --data (the default), --cluster or --all (which includes the others)");
  const env = await loadEnv(cli.opts.env, cli.cwd);
  const target = opts.target ?? "cluster";
  const scope = resetScope(opts);
  const plan = resetPlan(scope, env, target);
  if (cli.opts.dryRun) {
    if (cli.opts.json) cli.out(JSON.stringify({ outcome: "plan", scope, actions: plan }, null, 2));
    else for (const p of plan) cli.out(`would ${p.line}`);
    return 0;
  }
  const command = `devenv reset${scope === "data" ? "" : ` --${scope}`}`;
  cli.err(`devenv reset will:\n${plan.map((p) => `  - ${p.line}`).join("\n")}`);
  if (!(await confirm("Go ahead?", { yes: cli.opts.yes, command }))) {
    cli.err("nothing changed");
    return 1;
  }
  await runReset(
    plan.map((p) => p.action),
    env,
    target,
    (l) => cli.err(`✓ ${l}`),
  );
  if (cli.opts.json) cli.out(JSON.stringify({ outcome: "ok", scope, actions: plan }, null, 2));
  return 0;
};
export default reset;

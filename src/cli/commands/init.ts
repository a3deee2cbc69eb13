// `devenv init`: write a starter devenv.ts from the compose files, manifests and Dockerfiles
// found in the current directory, add `.devenv/` to .gitignore, and print what was chosen and
// what to run next. Refuses to overwrite a devenv.ts without --force.
import { existsSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import type { Command } from "../cli.js";
import { configError } from "../../errors/devenv-error.js";
import { chosenManifests, findProjectFiles, ignoreStateDir, starterEnv } from "../../init/starter.js";

const init: Command<{ force?: boolean }> = async (cli, opts) => {
  const target = resolve(cli.cwd, cli.opts.env);
  if (existsSync(target) && !opts.force && !cli.opts.dryRun) {
    throw configError(`${cli.opts.env} already exists`, target, "run `devenv init --force` to overwrite it, or edit it by hand");
  }
  if (!cli.opts.dryRun && !existsSync(dirname(target))) {
    throw configError(`cannot write ${cli.opts.env}: directory ${dirname(target)} does not exist`, "--env", `create it first (mkdir -p ${dirname(target)}), or pass --env with a path in an existing directory`);
  }
  const found = findProjectFiles(cli.cwd);
  const text = starterEnv(found);
  if (cli.opts.dryRun) {
    cli.out(text);
    return 0;
  }
  writeFileSync(target, text);
  const gitignore = ignoreStateDir(cli.cwd);
  const manifests = chosenManifests(found);
  if (cli.opts.json) {
    cli.out(JSON.stringify({ outcome: "init", file: target, gitignore, manifests: manifests ?? null, ...found }, null, 2));
    return 0;
  }
  const shown = relative(cli.cwd, target) || target;
  const manifestText = !manifests ? "(none found)" : "kustomize" in manifests ? `${manifests.kustomize} (kustomize)` : `${manifests.files.join(", ")} (plain YAML)`;
  cli.err(`wrote ${shown}:`);
  cli.err(`  compose    ${found.composeFiles.join(" + ") || "(none found)"}${found.otherComposeFiles.length ? `; also found, as comments: ${found.otherComposeFiles.join(", ")}` : ""}`);
  cli.err(`  manifests  ${manifestText}${found.helmCharts.length ? `; Helm chart${found.helmCharts.length > 1 ? "s" : ""} ${found.helmCharts.join(", ")} (render first, see the comment)` : ""}`);
  cli.err(`  images     ${found.images.map((i) => `${i.name} (${i.image})`).join(", ") || "(none)"}${found.unusedDockerfiles.length ? `; not images: ${found.unusedDockerfiles.join(", ")}` : ""}`);
  cli.err(`  .gitignore ${gitignore === "present" ? "already ignores .devenv/" : gitignore === "created" ? "created, ignoring .devenv/" : "now ignores .devenv/"}`);
  cli.err("next:");
  cli.err(`  1. check the paths in ${shown} (commented lines are the other candidates found)`);
  cli.err("  2. devenv doctor          what this machine is missing, and how to fix it");
  cli.err("  3. devenv up --dry-run    the whole plan, touching nothing");
  cli.err("  4. devenv up");
  cli.err("  (without a global install: npx -y devenv-k8s <command>)");
  return 0;
};
export default init;

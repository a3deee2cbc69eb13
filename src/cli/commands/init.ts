// `devenv init`: write a starter devenv.ts from the compose files, kustomize directory and
// Dockerfiles found in the current directory. Refuses to overwrite one without --force.
import { existsSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "../cli.js";
import { configError } from "../../errors/devenv-error.js";
import { findProjectFiles, starterEnv } from "../../init/starter.js";

const init: Command<{ force?: boolean }> = async (cli, opts) => {
  const target = resolve(cli.cwd, cli.opts.env);
  if (existsSync(target) && !opts.force && !cli.opts.dryRun) {
    throw configError(`${cli.opts.env} already exists`, target, "run `devenv init --force` to overwrite it, or edit it by hand");
  }
  const found = findProjectFiles(cli.cwd);
  const text = starterEnv(found);
  if (cli.opts.dryRun) {
    cli.out(text);
    return 0;
  }
  writeFileSync(target, text);
  if (cli.opts.json) cli.out(JSON.stringify({ outcome: "init", file: target, ...found }, null, 2));
  else {
    cli.err(`wrote ${cli.opts.env}: ${found.images.length} image(s), manifests ${found.kustomizeDirs[0] ?? "(none found)"}, compose ${found.composeFiles[0] ?? "(none found)"}`);
    cli.err("next: check the paths, then `devenv up --dry-run`");
  }
  return 0;
};
export default init;

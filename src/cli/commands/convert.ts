// `devenv convert` (issue #3): write a kustomize base from a compose setup, and say what
// devenv.ts needs for the ordering compose expressed with depends_on.
import { resolve } from "node:path";
import type { Command } from "../cli.js";
import { loadCompose } from "../../compose/load.js";
import { displayPath } from "../../files/yaml.js";
import { resolveInputs } from "../../compare/inputs.js";
import { convertProject } from "../../convert/convert.js";
import { renderBase, writeBase } from "../../convert/write.js";

interface ConvertFlags {
  compose?: string[];
  envFile?: string;
  namespace?: string;
  out: string;
}

const cmd: Command<ConvertFlags> = async (cli, opts) => {
  const inputs = await resolveInputs(opts, cli.opts.env, cli.cwd, false);
  const project = loadCompose(inputs.compose);
  const namespace = opts.namespace ?? inputs.env?.namespace;
  const result = convertProject(project, { namespace });
  const files = renderBase(result, namespace);
  const out = resolve(cli.cwd, opts.out);
  if (cli.opts.dryRun) {
    if (cli.opts.json) cli.out(JSON.stringify({ outcome: "planned", out, files: [...files.keys()], order: result.order, warnings: result.warnings, notes: result.notes }, null, 2));
    else cli.out([`would write ${files.size} files to ${displayPath(out)}:`, ...[...files.keys()].map((f) => `  ${f}`)].join("\n"));
    return 0;
  }
  const written = writeBase(out, files);
  if (cli.opts.json) {
    cli.out(JSON.stringify({ outcome: "written", out, files: written, order: result.order, warnings: result.warnings, notes: result.notes }, null, 2));
    return 0;
  }
  cli.out(`${cli.style.green("✓")} wrote ${written.length} files to ${displayPath(out)} (${Object.keys(project.services).length} services)`);
  for (const w of result.warnings) cli.out(`  ${cli.style.yellow("!")} ${w}`);
  for (const n of result.notes) cli.out(`  ${cli.style.cyan("i")} ${n}`);
  if (Object.keys(result.order).length) cli.out(`  ${cli.style.cyan("i")} keep compose's ordering: add to devenv.ts\n    order: ${JSON.stringify(result.order)}`);
  cli.out(`  next: devenv compare-compose --compose ${project.files.map(displayPath).join(" --compose ")} --k8s ${displayPath(out)}`);
  return 0;
};
export default cmd;

// `devenv compare-compose` (issue #3): load both setups, compare, report; exit 0 when
// equivalent, 3 on drift, 2 on bad input.
import type { Command } from "../cli.js";
import { ExitCode } from "../../errors/devenv-error.js";
import { loadCompose } from "../../compose/load.js";
import { displayPath } from "../../files/yaml.js";
import { compareStacks } from "../../compare/compare.js";
import { resolveInputs, type CompareFlags } from "../../compare/inputs.js";
import { loadK8sForCompare } from "../../compare/k8s-input.js";
import { formatReport } from "../../compare/report.js";
import { RULES } from "../../compare/findings.js";
import { configError } from "../../errors/devenv-error.js";

const cmd: Command<CompareFlags> = async (cli, opts) => {
  for (const r of opts.ignore ?? []) {
    if (!(r in RULES) && !/^[a-z]+$/.test(r) && !/^env\.[A-Za-z_][A-Za-z0-9_]*$/.test(r)) throw configError(`unknown rule "${r}" in --ignore`, "--ignore", `rules: ${Object.keys(RULES).join(", ")} (or env.NAME)`);
  }
  const inputs = await resolveInputs(opts, cli.opts.env, cli.cwd);
  const project = loadCompose(inputs.compose);
  const objects = await loadK8sForCompare(inputs.k8s, cli.cwd);
  const result = compareStacks(project, objects, inputs.options);
  if (cli.opts.json) {
    cli.out(JSON.stringify({ outcome: result.equivalent ? "equivalent" : "drift", compose: project.files, k8s: inputs.k8s, ...result }, null, 2));
  } else {
    const header = `compare-compose: ${project.files.map(displayPath).join(" + ")} ↔ ${inputs.k8s.map(displayPath).join(" + ")} (namespace ${result.namespace})`;
    cli.out(formatReport(result, cli.style, header));
    if (project.unsetVariables.length) cli.err(cli.style.yellow(`warning: unset compose variables (used as ""): ${project.unsetVariables.join(", ")}`));
  }
  return result.equivalent ? ExitCode.ok : ExitCode.drift;
};
export default cmd;

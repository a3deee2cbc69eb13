// The seed plan, pure: given the files with their checksums and what the server recorded as
// applied, decide per file: apply, skip (unchanged), refuse (changed after being applied), or
// reapply (changed, and --force). Refusals become one error naming every changed file.
import { DevenvError } from "../errors/devenv-error.js";
import type { SeedFile } from "./files.js";

export type SeedAction = "apply" | "skip" | "refuse" | "reapply";

export interface PlannedFile {
  file: SeedFile;
  action: SeedAction;
}

/** file name → checksum recorded when it was applied. */
export type SeedHistory = Map<string, string>;

/** Decides what to do with each file, in order. */
export function planSeedFiles(files: SeedFile[], history: SeedHistory, force = false): PlannedFile[] {
  return files.map((file) => {
    const recorded = history.get(file.name);
    if (recorded === undefined) return { file, action: "apply" };
    if (recorded === file.checksum) return { file, action: "skip" };
    return { file, action: force ? "reapply" : "refuse" };
  });
}

/** The error for files changed after being applied, or undefined when there are none. */
export function refusalError(seed: string, planned: PlannedFile[]): DevenvError | undefined {
  const changed = planned.filter((p) => p.action === "refuse").map((p) => p.file.name);
  if (changed.length === 0) return undefined;
  return new DevenvError(`${seed}: ${changed.length === 1 ? "a seed file was" : `${changed.length} seed files were`} changed after being applied: ${changed.join(", ")}`, {
    where: changed[0],
    hint: "seeds run exactly once; re-run the changed files with `devenv seed --force`, or start from empty databases with `devenv reset --data`",
  });
}

const verbs: Record<SeedAction, string> = { apply: "apply", skip: "skip (unchanged)", refuse: "REFUSE (changed after being applied)", reapply: "re-apply (changed, --force)" };

/** One line per file, for --dry-run. */
export function formatPlan(seed: string, planned: PlannedFile[]): string[] {
  return planned.map((p) => `${seed}: ${verbs[p.action]} ${p.file.name}`);
}

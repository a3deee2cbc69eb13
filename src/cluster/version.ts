// "Is the tool new enough?": reads the binary's own version and fails clearly when it is older
// than what devenv is written against (doctor's MIN_VERSIONS).
import { DevenvError } from "../errors/devenv-error.js";
import { run } from "../exec/runner.js";
import { compareVersions, parseVersion } from "../doctor/check.js";

/** Runs `tool args`, returns its version; throws when missing, unreadable or older than `min`. */
export async function requireToolVersion(tool: string, args: string[], min: string, installHint: string): Promise<string> {
  const r = await run(tool, args, { installHint: `install ${tool} ${min} or newer: ${installHint}, then run \`devenv doctor\``, timeoutMs: 15_000 });
  const version = parseVersion(`${r.stdout}\n${r.stderr}`);
  if (!version) {
    throw new DevenvError(`cannot read the version of ${tool} from \`${tool} ${args.join(" ")}\``, { details: r.stdout, hint: installHint });
  }
  if (compareVersions(version, min) < 0) {
    throw new DevenvError(`${tool} v${version} is too old: devenv needs ${tool} ${min} or newer`, { hint: `upgrade ${tool}: ${installHint}` });
  }
  return version;
}

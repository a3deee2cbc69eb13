// "Is the tool new enough?": the version a binary prints of itself, compared with semver.
import semver from "semver";
import { DevenvError } from "../errors/devenv-error.js";
import { commandLine, run } from "./runner.js";

/** Pulls the first `vX.Y[.Z]` out of a tool's version output (`kind v0.29.0 go1.24.2 …`). */
export function parseVersion(output: string): string | undefined {
  return /v?(\d+\.\d+(?:\.\d+)?)/.exec(output)?.[1];
}

/** Compares versions that may lack parts or carry a `v`, a build or a distro suffix (`v1.31.5-k3s1`): -1, 0, 1. */
export function compareVersions(a: string, b: string): number {
  const ca = semver.coerce(a);
  const cb = semver.coerce(b);
  if (!ca || !cb) throw new Error(`not a version: ${ca ? b : a}`);
  return semver.compare(ca, cb);
}

/** Runs `tool args`, returns its version; throws when missing, unreadable or older than `min`. */
export async function requireToolVersion(tool: string, args: string[], min: string, installHint: string): Promise<string> {
  const r = await run(tool, args, { installHint: `install ${tool} ${min} or newer: ${installHint}, then run \`devenv doctor\``, timeoutMs: 15_000 });
  const version = parseVersion(`${r.stdout}\n${r.stderr}`);
  if (!version) {
    throw new DevenvError(`cannot read the version of ${tool} from \`${commandLine(tool, args)}\``, { details: r.stdout, hint: installHint });
  }
  if (compareVersions(version, min) < 0) {
    throw new DevenvError(`${tool} v${version} is too old: devenv needs ${tool} ${min} or newer`, { hint: `upgrade ${tool}: ${installHint}` });
  }
  return version;
}

// Runs the real CLI entry as a user would: a child `node bin/devenv.js`. It runs the sources
// (DEVENV_FROM_SOURCE=1) so tests never see a stale dist/; `fromDist: true` runs the build.
import { execa } from "execa";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/devenv.js", import.meta.url));

export async function devenv(args: string[], opts: { cwd?: string; env?: Record<string, string>; fromDist?: boolean } = {}) {
  const env = { NO_COLOR: "1", DEVENV_FROM_SOURCE: opts.fromDist ? "0" : "1", ...opts.env };
  const r = await execa("node", [bin, ...args], { cwd: opts.cwd ?? repoRoot, env, reject: false });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

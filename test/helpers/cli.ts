// Runs the real CLI entry in-process-free: a child `node bin/devenv.js`, as a user would.
import { execa } from "execa";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/devenv.js", import.meta.url));

export async function devenv(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = await execa("node", [bin, ...args], { cwd: opts.cwd ?? repoRoot, env: { NO_COLOR: "1", ...opts.env }, reject: false });
  return { code: r.exitCode ?? 1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

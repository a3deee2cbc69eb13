// `.devenv/` next to devenv.ts: the one way devenv writes there. The directory is 0700 and holds a
// `.gitignore` of `*` from the moment it is created; every file in it is 0600 (an existing file
// at another mode is chmod'ed when devenv writes into it). Generated configs, the compose override
// and dev Secret values all go through writeStateFile / writeStateFileSync.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { DevenvError } from "../errors/devenv-error.js";

export const STATE_DIR = ".devenv";
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** The state directory of an environment. */
export function stateDirOf(root: string): string {
  return join(root, STATE_DIR);
}

/** Creates `<root>/.devenv` (0700, with its `.gitignore`) and `sub` inside it; returns the directory. */
export function ensureStateDir(root: string, sub = ""): string {
  const base = stateDirOf(root);
  mkdirSync(base, { recursive: true, mode: DIR_MODE });
  tighten(base, DIR_MODE);
  const ignore = join(base, ".gitignore");
  if (!existsSync(ignore)) writeFileSync(ignore, "*\n", { mode: FILE_MODE });
  tighten(ignore, FILE_MODE);
  if (!sub) return base;
  const dir = join(base, sub);
  let at = base;
  for (const part of sub.split(/[\\/]+/).filter(Boolean)) {
    at = join(at, part);
    mkdirSync(at, { recursive: true, mode: DIR_MODE });
    tighten(at, DIR_MODE);
  }
  return dir;
}

/** The JSON value in `<root>/.devenv/<name>`, or undefined when it is missing or unreadable
 *  (stamps and caches: a damaged one only costs the work it would have saved). */
export function readStateJsonSync(root: string, name: string): unknown {
  try {
    return JSON.parse(readFileSync(join(stateDirOf(root), name), "utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/** Writes `content` to `<root>/.devenv/<name>` (0600); returns its absolute path. `name` may hold sub-directories. */
export function writeStateFileSync(root: string, name: string, content: string): string {
  const base = stateDirOf(root);
  const path = join(base, name);
  const rel = relative(base, path);
  if (!rel || rel.startsWith("..") || isAbsolute(rel)) throw new DevenvError(`internal: state file ${JSON.stringify(name)} is outside ${STATE_DIR}/`);
  const dir = dirname(rel);
  ensureStateDir(root, dir === "." ? "" : dir.split(sep).join("/"));
  writeFileSync(path, content, { mode: FILE_MODE });
  tighten(path, FILE_MODE);
  return path;
}

/** writeStateFileSync for async callers. */
export async function writeStateFile(root: string, name: string, content: string): Promise<string> {
  return writeStateFileSync(root, name, content);
}

/** `writeFileSync`'s mode only applies to new files/directories: fix existing ones. */
function tighten(path: string, mode: number): void {
  if ((statSync(path).mode & 0o777) !== mode) chmodSync(path, mode);
}

// `.devenv/` next to devenv.ts: generated configs the user can inspect, and local state.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The state directory of an environment. */
export function stateDir(root: string): string {
  return join(root, ".devenv");
}

/** Writes `text` to `.devenv/<file>` and returns its absolute path. */
export async function writeState(root: string, file: string, text: string): Promise<string> {
  const dir = stateDir(root);
  await mkdir(dir, { recursive: true });
  const path = join(dir, file);
  await writeFile(path, text);
  return path;
}

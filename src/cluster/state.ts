// `.devenv/` next to devenv.ts: generated configs the user can inspect, and local state.
// Written through src/files/state-dir.ts: 0600 files in a 0700 directory ignored by git.
import { stateDirOf, writeStateFile } from "../files/state-dir.js";

/** The state directory of an environment. */
export function stateDir(root: string): string {
  return stateDirOf(root);
}

/** Writes `text` to `.devenv/<file>` (0600) and returns its absolute path. */
export async function writeState(root: string, file: string, text: string): Promise<string> {
  return writeStateFile(root, file, text);
}

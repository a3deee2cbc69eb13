// Writes a small tree of files into a fresh temp dir for a test; returns its path.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export function writeFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "devenv-compose-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

// The seed files of one seed entry: a directory (its matching files sorted by name) or an
// explicit list, each read once with its SHA-256, named relative to devenv.ts for history keys.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, resolve, sep } from "node:path";
import { configError } from "../errors/devenv-error.js";

export interface SeedFile {
  /** Path relative to the devenv.ts directory, with `/`: the history key. */
  name: string;
  /** Absolute path. */
  path: string;
  content: string;
  /** Hex SHA-256 of the content. */
  checksum: string;
}

/** What a seed directory's files end in: SQL for Postgres, fixtures for Redis. */
export const SQL_EXTS = [".sql"];
export const FIXTURE_EXTS = [".yaml", ".yml", ".json", ".redis"];

/** SHA-256 of a file's text, hex. */
export function checksumOf(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

/** Lists a seed's files: a directory's `exts` files sorted by name (code points, like `LC_ALL=C ls`), or the given ones in order. */
export function listSeedFiles(root: string, spec: string | string[], exts: string[], configPath: string): string[] {
  const entries = Array.isArray(spec) ? spec : [spec];
  const out: string[] = [];
  entries.forEach((entry, i) => {
    const abs = resolve(root, entry);
    const where = Array.isArray(spec) ? `${configPath}[${i}]` : configPath;
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      throw configError(`${where}: not found: ${abs}`, where, "the path is relative to the devenv.ts file");
    }
    if (!isDir) {
      out.push(abs);
      return;
    }
    const found = readdirSync(abs)
      .filter((f) => exts.includes(extname(f).toLowerCase()) && statSync(join(abs, f)).isFile())
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (found.length === 0) throw configError(`${where}: ${abs} has no ${exts.join("/")} files`, where, `add files ending in ${exts.join(" or ")}, or point at the files themselves`);
    out.push(...found.map((f) => join(abs, f)));
  });
  return out;
}

/** Reads the files and checksums them. */
export function readSeedFiles(root: string, paths: string[]): SeedFile[] {
  return paths.map((path) => {
    const content = readFileSync(path, "utf8");
    return { name: relative(root, path).split(sep).join("/"), path, content, checksum: checksumOf(content) };
  });
}

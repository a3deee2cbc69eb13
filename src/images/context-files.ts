// The files of a build context as `docker build` sends them: everything under the context
// directory minus what `.dockerignore` excludes, with the Dockerfile and .dockerignore always
// included (the docker CLI adds them back even when ignored).
import { lstatSync, readdirSync, readlinkSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, posix, relative, sep } from "node:path";
import { createRequire } from "node:module";
import { DevenvError } from "../errors/devenv-error.js";

// The package is CommonJS (`module.exports = factory`); its .d.ts declares an ES default.
const ignore = createRequire(import.meta.url)("@balena/dockerignore") as typeof import("@balena/dockerignore").default;

/** One entry of a build context. */
export interface ContextEntry {
  /** Path relative to the context, `/`-separated. */
  path: string;
  type: "file" | "dir" | "symlink";
  /** Permission bits (0o777 part): an executable bit changes what COPY produces. */
  mode: number;
  size: number;
  mtime: Date;
  /** ctime in ms (with fractions): any write changes it, so it keys the file hash cache. */
  ctimeMs: number;
  /** Symlink target. */
  target?: string;
}

/** Reads `.dockerignore` patterns; none when the file is absent. */
export async function readDockerignore(contextDir: string): Promise<string[]> {
  try {
    return (await readFile(join(contextDir, ".dockerignore"), "utf8")).split(/\r?\n/);
  } catch {
    return [];
  }
}

/** Lists the context's entries, sorted by path, honouring `.dockerignore`. The walk uses the
 *  synchronous calls: a context is hundreds to a few thousand entries, and one await per lstat
 *  costs far more than the stat itself (300 ms against 10 ms for AgentForge's 372 entries on a
 *  busy 2-core machine), which every `up` and every rebuild under watch pays. */
export async function listContext(contextDir: string, dockerfile = "Dockerfile"): Promise<ContextEntry[]> {
  const patterns = await readDockerignore(contextDir);
  const ig = ignore({ ignorecase: false }).add(patterns);
  // Like the docker CLI: an ignored directory is skipped whole unless an exception (`!`) could re-include something below it.
  const hasExceptions = patterns.some((p) => p.trim().startsWith("!"));
  const always = new Set([".dockerignore", posix.normalize(dockerfile.split(sep).join("/"))]);
  const out: ContextEntry[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (e) {
      throw new DevenvError(`cannot read the build context directory ${dir}`, { cause: e, hint: "check that the image's `context` exists and is readable" });
    }
    for (const name of names.sort()) {
      const abs = join(dir, name);
      const rel = relative(contextDir, abs).split(sep).join("/");
      const st = lstatSync(abs);
      const ignored = ig.ignores(rel) && !always.has(rel);
      if (st.isDirectory()) {
        if (ignored && !hasExceptions) continue;
        if (!ignored) out.push({ path: rel, type: "dir", mode: st.mode & 0o7777, size: 0, mtime: st.mtime, ctimeMs: st.ctimeMs });
        walk(abs);
      } else if (!ignored) {
        if (st.isSymbolicLink()) out.push({ path: rel, type: "symlink", mode: st.mode & 0o7777, size: 0, mtime: st.mtime, ctimeMs: st.ctimeMs, target: readlinkSync(abs) });
        else if (st.isFile()) out.push({ path: rel, type: "file", mode: st.mode & 0o7777, size: st.size, mtime: st.mtime, ctimeMs: st.ctimeMs });
        // sockets, fifos and devices are not sent by docker either
      }
    }
  };
  walk(contextDir);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

// Content tags: `<repository>:devenv-<12 hex>` from a hash of what a build reads: the context
// files (after .dockerignore), the Dockerfile, the build args (after image overrides) and the
// target. Same inputs → same tag, so an existing tag means "already built".
import { createHash } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import pLimit from "p-limit";
import { applyOverride } from "../config/overrides.js";
import type { ImageConfig } from "../config/schema.js";
import { DevenvError } from "../errors/devenv-error.js";
import { listContext, type ContextEntry } from "./context-files.js";

/** Everything that decides a content tag, already read from disk. */
export interface ContentInputs {
  /** Context entries with the sha256 of each file's bytes. */
  entries: (ContextEntry & { sha256?: string })[];
  dockerfile: string;
  dockerfileText: string;
  buildArgs: Record<string, string>;
  target?: string;
}

/** Bumped when the hashing scheme changes, so old tags are never mistaken for new ones. */
const SCHEME = "devenv-content-v1";

/** Build args as the build will see them: values naming an overridden image are rewritten. */
export function resolveBuildArgs(args: Record<string, string>, overrides: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(args).map(([k, v]) => [k, applyOverride(v, overrides)]));
}

/** The tag part, `devenv-<12 hex>`. Pure. */
export function contentTag(inputs: ContentInputs): string {
  const h = createHash("sha256").update(`${SCHEME}\n`);
  for (const e of inputs.entries) {
    // mtime is left out on purpose: a checkout or `touch` must not change the tag.
    const what = e.type === "file" ? e.sha256 : e.type === "symlink" ? e.target : "";
    h.update(`${e.type}\0${e.path}\0${e.mode.toString(8)}\0${what ?? ""}\n`);
  }
  h.update(`dockerfile\0${inputs.dockerfile}\0${inputs.dockerfileText}\n`);
  for (const k of Object.keys(inputs.buildArgs).sort()) h.update(`arg\0${k}\0${inputs.buildArgs[k]}\n`);
  h.update(`target\0${inputs.target ?? ""}\n`);
  return `devenv-${h.digest("hex").slice(0, 12)}`;
}

/** File hashes of this process by path, valid while size and ctime are unchanged (like git's
 *  index): plan, check and run of the same `up`, and every rebuild under watch, re-read only
 *  files that changed. */
const hashCache = new Map<string, { size: number; ctimeMs: number; sha256: string }>();

const SYNC_READ_MAX = 1024 * 1024;

async function cachedHash(path: string, e: ContextEntry): Promise<string> {
  const hit = hashCache.get(path);
  if (hit && hit.size === e.size && hit.ctimeMs === e.ctimeMs) return hit.sha256;
  // Small files (nearly all of a context) are read in one synchronous call: one await per file
  // costs more than hashing it on a busy machine; large ones are streamed.
  const sha256 = e.size <= SYNC_READ_MAX ? createHash("sha256").update(readFileSync(path)).digest("hex") : await hashFile(path);
  // "Racy" entries (changed in the last 2 s) are not cached: timestamps are coarse, so a second
  // same-size write in the same tick would look unchanged (git's racy-index problem).
  if (Date.now() - e.ctimeMs > 2000) hashCache.set(path, { size: e.size, ctimeMs: e.ctimeMs, sha256 });
  return sha256;
}

/** sha256 of a file, streamed (contexts can hold large files). */
export function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    createReadStream(path)
      .on("data", (b) => h.update(b))
      .on("error", reject)
      .on("end", () => resolve(h.digest("hex")));
  });
}

/** Reads the context of one image and returns its inputs (entries hashed). */
export async function readContentInputs(contextDir: string, image: ImageConfig, overrides: Record<string, string>, where: string): Promise<ContentInputs> {
  let dockerfileText: string;
  try {
    dockerfileText = await readFile(join(contextDir, image.dockerfile), "utf8");
  } catch (e) {
    throw new DevenvError(`Dockerfile not found: ${join(contextDir, image.dockerfile)}`, { where, cause: e, hint: "set `dockerfile` (relative to `context`) to an existing file" });
  }
  const entries = await listContext(contextDir, image.dockerfile);
  // At most 16 files open at once.
  const hashed = await pLimit(16).map(entries, async (e) => (e.type === "file" ? { ...e, sha256: await cachedHash(join(contextDir, e.path), e) } : e));
  return { entries: hashed, dockerfile: image.dockerfile, dockerfileText, buildArgs: resolveBuildArgs(image.buildArgs, overrides), target: image.target };
}

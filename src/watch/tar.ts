// The bytes of a sync: a tar whose entry names are the container paths without the leading
// "/", so the same archive unpacks at "/" through the Docker API and through `tar xf - -C /`.
import { lstat, readFile, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import { pack } from "tar-stream";
import type { SyncCopy } from "./plan.js";
import { destinationOf } from "./plan.js";
import type { ReloadRules } from "./rules.js";

export interface SyncArchive {
  tar: Buffer;
  /** The copies packed (sources that still existed). */
  copies: SyncCopy[];
  /** Container paths written. */
  written: string[];
  /** Container paths whose source vanished before packing: delete them instead. */
  vanished: string[];
  bytes: number;
}

/** Packs the copies (sources under contextDir) into an in-memory tar. */
export async function packCopies(contextDir: string, copies: SyncCopy[]): Promise<SyncArchive> {
  const p = pack();
  const chunks: Buffer[] = [];
  p.on("data", (c: unknown) => chunks.push(c as Buffer));
  const ended = new Promise<void>((res, rej) => {
    p.on("end", res);
    p.on("error", rej);
  });
  const written: string[] = [];
  const packed: SyncCopy[] = [];
  const vanished: string[] = [];
  for (const c of copies) {
    const src = join(contextDir, c.from);
    const name = c.to.replace(/^\/+/, "");
    try {
      const st = await lstat(src);
      const common = { name, mode: st.mode & 0o7777, mtime: st.mtime };
      if (st.isSymbolicLink()) await entry(p, { ...common, type: "symlink", linkname: await readlink(src) });
      else if (st.isDirectory()) await entry(p, { ...common, type: "directory" });
      else if (st.isFile()) await entry(p, { ...common, type: "file" }, await readFile(src));
      else continue; // sockets, fifos: nothing to copy
      written.push(c.to);
      packed.push(c);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      vanished.push(c.to); // deleted between the event and now
    }
  }
  p.finalize();
  await ended;
  const tar = Buffer.concat(chunks);
  return { tar, copies: packed, written, vanished, bytes: tar.length };
}

function entry(p: ReturnType<typeof pack>, header: Parameters<ReturnType<typeof pack>["entry"]>[0], body?: Buffer): Promise<void> {
  return new Promise((res, rej) => {
    p.entry(header, body ?? "", (err) => (err ? rej(err) : res()));
  });
}

/** Every file the sync rules cover right now, for the initial sync (ignores honoured). */
export async function initialCopies(rules: ReloadRules): Promise<SyncCopy[]> {
  const out: SyncCopy[] = [];
  const seen = new Set<string>();
  const visit = async (rel: string): Promise<void> => {
    if (seen.has(rel) || (rel !== "." && rules.ignored.ignores(rel))) return;
    seen.add(rel);
    let st;
    try {
      st = await lstat(join(rules.contextDir, rel));
    } catch {
      return; // a missing source is reported by missingSources()
    }
    if (st.isDirectory()) {
      for (const child of (await readdir(join(rules.contextDir, rel))).sort()) await visit(rel === "." ? child : `${rel}/${child}`);
      return;
    }
    // Only files that this rule set maps, and never the Dockerfile (a rebuild input).
    const to = destinationOf(rel, rules.sync);
    if (to !== undefined && rel !== rules.dockerfile && !rules.rebuildOn?.ignores(rel)) out.push({ from: rel, to });
  };
  for (const rule of rules.sync) await visit(rule.from);
  return out;
}

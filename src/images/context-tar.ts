// Packs a build context into the tar stream the build API expects, from the entries that
// listContext() kept (so the engine sees exactly what the content tag was computed from).
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { pack } from "tar-stream";
import type { ContextEntry } from "./context-files.js";

/** A readable tar of the entries; errors reading a file destroy the stream. */
export function contextTar(contextDir: string, entries: readonly ContextEntry[]): Readable {
  const tar = pack();
  const add = async () => {
    for (const e of entries) {
      const header = { name: e.path, mode: e.mode, mtime: e.mtime };
      if (e.type === "dir") tar.entry({ ...header, type: "directory" });
      else if (e.type === "symlink") tar.entry({ ...header, type: "symlink", linkname: e.target });
      else await pipeline(createReadStream(join(contextDir, e.path)), tar.entry({ ...header, type: "file", size: e.size }));
    }
    tar.finalize();
  };
  add().catch((e: unknown) => tar.destroy(e instanceof Error ? e : new Error(String(e))));
  // tar-stream packs are streamx streams; the build API client wants a Node stream.
  return Readable.from(tar);
}

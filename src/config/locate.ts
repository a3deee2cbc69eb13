// Finds the line of a config path (`images.backend.context`) in the source of devenv.ts, so
// errors point at file:line:col. A heuristic over the text: each segment is searched for as
// an object key after the previous one. Good enough for hand-written config; when it cannot
// find a segment it returns the deepest one it found.

export interface SourcePosition {
  line: number;
  col: number;
}

export function locatePath(source: string, path: (string | number)[]): SourcePosition | undefined {
  let from = 0;
  let found: number | undefined;
  for (const seg of path) {
    if (typeof seg === "number") continue; // array indices have no key in the text
    const escaped = seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const re = new RegExp(`(^|[\\s{,])(["']?)${escaped}\\2\\s*:`, "gm");
    re.lastIndex = from;
    const m = re.exec(source);
    if (!m) break;
    found = m.index + m[1]!.length;
    from = re.lastIndex;
  }
  return found === undefined ? undefined : offsetToPosition(source, found);
}

export function offsetToPosition(source: string, offset: number): SourcePosition {
  const before = source.slice(0, offset);
  const line = before.split("\n").length;
  const col = offset - before.lastIndexOf("\n");
  return { line, col };
}

// Reads YAML files keeping positions, so every error can say file:line:col. Used for compose
// files (anchors and `<<` merge keys on) and for plain Kubernetes manifests (multi-document).
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Document } from "yaml";
import { configError } from "../errors/devenv-error.js";

/** A parsed YAML document that can locate any path in its source. */
export interface YamlDoc {
  file: string;
  value: unknown;
  /** `file:line:col` of the node at `path`, or of the nearest existing parent. */
  where(path: (string | number)[]): string;
  /** `file:line:col` of the KEY of the map entry at `path` (an unknown key is reported there); falls back to where(). */
  whereKey?(path: (string | number)[]): string;
}

/** Reads one file; a missing file or malformed YAML is a config error (exit 2) with its position. */
export function readYamlFile(file: string, what = "file"): YamlDoc {
  return parseYaml(readText(file, what), file);
}

/** Parses one YAML document from `text`; errors name `file:line:col`. */
export function parseYaml(text: string, file: string): YamlDoc {
  const lc = new LineCounter();
  const doc = parseDocument(text, { merge: true, lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  throwFirstError(doc, lc, file);
  return toYamlDoc(doc, lc, file);
}

/** Parses a multi-document stream (`---`), dropping empty documents. */
export function parseYamlAll(text: string, file: string): YamlDoc[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { merge: true, lineCounter: lc, prettyErrors: false });
  if (!Array.isArray(docs)) return [];
  for (const d of docs) throwFirstError(d, lc, file);
  return docs.map((d) => toYamlDoc(d, lc, file)).filter((d) => d.value !== null && d.value !== undefined);
}

/** Reads a text file, turning ENOENT into a config error that names it. */
export function readText(file: string, what = "file"): string {
  return readBytes(file, what).toString("utf8");
}

/** A file's bytes; a missing file, a directory or an unreadable one is a config error naming it. */
export function readBytes(file: string, what = "file"): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const shown = displayPath(file);
    if (code === "ENOENT") throw configError(`${what} not found: ${shown}`, shown, "check the path (relative paths resolve against the current directory or devenv.ts)", e);
    if (code === "EISDIR") throw configError(`${what} is a directory, not a file: ${shown}`, shown, "point at the YAML file inside it", e);
    throw configError(`cannot read ${what} ${shown}: ${(e as Error).message}`, shown, undefined, e);
  }
}

/** A path as the user would type it: relative to the current directory when shorter. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("../../") && rel.length < file.length ? rel : file;
}

function throwFirstError(doc: Document, lc: LineCounter, file: string): void {
  const err = doc.errors[0];
  if (!err) return;
  const pos = err.linePos?.[0] ?? lc.linePos(err.pos[0]);
  const where = `${displayPath(file)}:${pos.line}:${pos.col}`;
  const message = err.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  throw configError(`malformed YAML in ${displayPath(file)}: ${message}`, where, "fix the YAML at that position (indentation, a missing ':' or an unclosed bracket are the usual causes)");
}

/** `path` with each name that meets a `KEY=VALUE` list (compose's list form of `environment`,
 *  `labels`, build `args`) replaced by the index of the entry `NAME=...` (or bare `NAME`). */
function listKeys(doc: Document, path: (string | number)[]): (string | number)[] {
  const out: (string | number)[] = [];
  for (const seg of path) {
    const node = doc.getIn(out, true);
    if (typeof seg === "string" && isSeq(node)) {
      const i = node.items.findIndex((it) => isScalar(it) && (String(it.value) === seg || String(it.value).startsWith(`${seg}=`)));
      out.push(i >= 0 ? i : seg);
    } else out.push(seg);
  }
  return out;
}

function toYamlDoc(doc: Document, lc: LineCounter, file: string): YamlDoc {
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 10_000 });
  } catch (e) {
    throw configError(`cannot read YAML in ${displayPath(file)}: ${(e as Error).message}`, displayPath(file), undefined, e);
  }
  return {
    file,
    value,
    where(wanted) {
      const path = listKeys(doc, wanted);
      for (let n = path.length; n >= 0; n--) {
        const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node?.range) {
          const pos = lc.linePos(node.range[0]);
          return `${displayPath(file)}:${pos.line}:${pos.col}`;
        }
      }
      return displayPath(file);
    },
    whereKey(path) {
      const parent = doc.getIn(path.slice(0, -1), true);
      const last = path[path.length - 1];
      if (isMap(parent)) {
        const item = parent.items.find((it) => isScalar(it.key) && String(it.key.value) === String(last));
        const range = item && isScalar(item.key) ? item.key.range : undefined;
        if (range) {
          const pos = lc.linePos(range[0]);
          return `${displayPath(file)}:${pos.line}:${pos.col}`;
        }
      }
      return this.where(path);
    },
  };
}

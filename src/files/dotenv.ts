// `.env` / `env_file` parsing the way Compose reads them: `KEY=VALUE` lines, `export ` prefix,
// `#` comments, single quotes literal, double quotes with escapes and interpolation, unquoted
// values trimmed (a ` #` starts a comment) and interpolated. Pure except readDotenvFile.
import { configError } from "../errors/devenv-error.js";
import { interpolate, InterpolationError, type Lookup } from "./interpolate.js";
import { displayPath, readText } from "./yaml.js";

/** Parses dotenv text; variables refer to earlier lines first, then `outer`. */
export function parseDotenv(text: string, file: string, outer: Lookup = () => undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const lookup: Lookup = (n) => (n in out ? out[n] : outer(n));
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const line = lines[i]!.replace(/^\s+/, "");
    if (line === "" || line.startsWith("#")) continue;
    // `export ` is a prefix only when something follows it (`export = 1` sets a key named export).
    const m = /^([A-Za-z_][A-Za-z0-9_.-]*)\s*(=?)\s*(.*)$/.exec(line.replace(/^export\s+(?=[^\s=])/, ""));
    // Messages name the file, the line and the key: never the value, which may be a secret.
    const where = `${displayPath(file)}:${lineNo}:1`;
    if (!m) {
      const name = /^(?:export\s+)?([^=\s:]+)\s*[=:]/.exec(line)?.[1];
      throw configError(`malformed line ${lineNo} in ${displayPath(file)}${name ? `: "${name.slice(0, 40)}" is not a variable name` : ": not KEY=VALUE"}`, where, "write KEY=VALUE (names are letters, digits and '_', not starting with a digit)");
    }
    const [, key, eq, rawValue] = m as unknown as [string, string, string, string];
    if (!eq && rawValue !== "") {
      const yaml = rawValue.startsWith(":");
      throw configError(`malformed line ${lineNo} in ${displayPath(file)}: ${key} ${yaml ? 'is followed by ":"' : "is followed by more text"}, not "="`, where, `write ${key}=VALUE${yaml ? ' (".env" files are not YAML)' : " (quote values that contain spaces: KEY=\"a b\")"}`);
    }
    if (!eq) {
      // A bare KEY takes its value from the outer environment, or is skipped.
      const v = outer(key);
      if (v !== undefined) out[key] = v;
      continue;
    }
    let value: string;
    const q = rawValue[0];
    if (q === "'" || q === '"') {
      // Quoted values may span lines until the closing quote.
      let body = rawValue.slice(1);
      let close = findClose(body, q);
      while (close < 0 && i + 1 < lines.length) {
        body += `\n${lines[++i]}`;
        close = findClose(body, q);
      }
      if (close < 0) throw configError(`unterminated ${q} quote in ${displayPath(file)}`, `${displayPath(file)}:${lineNo}:1`, `close the value of ${key} with ${q}`);
      const inner = body.slice(0, close);
      value = q === "'" ? inner : expand(unescapeDouble(inner), lookup, file, lineNo, key);
    } else {
      value = expand(rawValue.replace(/\s+#.*$/, "").trim(), lookup, file, lineNo, key);
    }
    out[key] = value;
  }
  return out;
}

/** Reads and parses a dotenv file; missing → config error unless `optional`. */
export function readDotenvFile(file: string, outer?: Lookup, optional = false): Record<string, string> {
  try {
    return parseDotenv(readText(file, "env file"), file, outer);
  } catch (e) {
    if (optional && (e as { message?: string }).message?.startsWith("env file not found")) return {};
    throw e;
  }
}

function findClose(body: string, q: string): number {
  for (let i = 0; i < body.length; i++) {
    if (q === '"' && body[i] === "\\") i++;
    else if (body[i] === q) return i;
  }
  return -1;
}

function unescapeDouble(s: string): string {
  return s.replace(/\\([\\"nrt$])/g, (_m, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c as "n"] ?? (c === "$" ? "$$" : c));
}

function expand(value: string, lookup: Lookup, file: string, line: number, key: string): string {
  try {
    return interpolate(value, lookup);
  } catch (e) {
    if (e instanceof InterpolationError) throw configError(`${displayPath(file)}: the value of ${key}: ${e.message}`, `${displayPath(file)}:${line}:1`, e.hint);
    throw e;
  }
}

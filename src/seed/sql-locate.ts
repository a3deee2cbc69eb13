// Finding the failing statement of a SQL file, pure: split it into statements (aware of quotes,
// dollar quoting and comments), and map an offset (the server's `position`) to a line.
import { MASK, redactText } from "../redact/secrets.js";

export interface SqlStatement {
  /** Statement text without the trailing `;`, trimmed. */
  text: string;
  /** Offset of its first character in the file. */
  start: number;
  /** Offset just past its `;` (or the end of the file). */
  end: number;
}

/** Splits SQL into statements at top-level `;`. Comment-only chunks are dropped. */
export function splitStatements(sql: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let chunkStart = 0;
  let i = 0;
  const push = (end: number, next: number) => {
    const raw = sql.slice(chunkStart, end);
    const lead = leadingNoise(raw);
    const text = raw.slice(lead).trim();
    if (text) out.push({ text, start: chunkStart + lead, end: next });
    chunkStart = next;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "-" && next === "-") i = endOfLine(sql, i);
    else if (c === "/" && next === "*") i = endOfBlockComment(sql, i);
    else if (c === "'") i = endOfQuoted(sql, i, "'", isEscapeString(sql, i));
    else if (c === '"') i = endOfQuoted(sql, i, '"', false);
    else if (c === "$" && dollarTag(sql, i)) {
      const tag = dollarTag(sql, i)!;
      const close = sql.indexOf(tag, i + tag.length);
      i = close < 0 ? sql.length : close + tag.length;
    } else if (c === ";") {
      push(i, i + 1);
      i++;
    } else i++;
  }
  push(sql.length, sql.length);
  return out;
}

/** 1-based line and column of a 0-based offset. */
export function lineAt(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const nl = before.lastIndexOf("\n");
  return { line: before.split("\n").length, col: offset - nl };
}

/** The statement containing `offset`, or the last one starting before it. */
export function statementAt(statements: SqlStatement[], offset: number): SqlStatement | undefined {
  return statements.find((s) => offset < s.end) ?? statements[statements.length - 1];
}

/** Shortens a statement for an error message. */
export function excerpt(statement: string, max = 300): string {
  const one = statement.replace(/\s+/g, " ");
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** `PASSWORD 'x'` (CREATE/ALTER ROLE/USER, `ENCRYPTED PASSWORD`): the literal, in any quoting. */
const PASSWORD_LITERAL = /(\bPASSWORD\s+)(E?'(?:[^'\\]|''|\\.)*'|\$([A-Za-z_][A-Za-z0-9_]*)?\$[\s\S]*?\$\3\$)/gi;

/** A statement as it may be printed: the literal after PASSWORD masked, then secrets found by content
 *  (connection strings, URLs with passwords, tokens). `secrets` are the raw values masked, so the
 *  server's message can be cleaned of them too (`syntax error at or near "'pw'"`). */
export function redactSql(statement: string): { text: string; secrets: string[] } {
  const secrets: string[] = [];
  const text = statement.replace(PASSWORD_LITERAL, (_m, head: string, literal: string) => {
    secrets.push(literal);
    const inner = literal.replace(/^E?'([\s\S]*)'$/, "$1").replace(/^\$[A-Za-z0-9_]*\$([\s\S]*)\$[A-Za-z0-9_]*\$$/, "$1");
    if (inner && inner !== literal) secrets.push(inner);
    return `${head}'${MASK}'`;
  });
  return { text: redactText(text), secrets };
}

/** `message` with every value of `secrets` replaced by the mask (longest first), then redacted by content. */
export function withoutSecrets(message: string, secrets: string[]): string {
  let out = message;
  for (const v of [...secrets].sort((a, b) => b.length - a.length)) if (v) out = out.split(v).join(MASK);
  return redactText(out);
}

/** Length of leading whitespace and comments. */
function leadingNoise(s: string): number {
  let i = 0;
  for (;;) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (s.startsWith("--", i)) i = endOfLine(s, i);
    else if (s.startsWith("/*", i)) i = endOfBlockComment(s, i);
    else return i;
  }
}

function endOfLine(s: string, i: number): number {
  const nl = s.indexOf("\n", i);
  return nl < 0 ? s.length : nl + 1;
}

/** Block comments nest in PostgreSQL. */
function endOfBlockComment(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    if (s.startsWith("/*", i)) {
      depth++;
      i += 2;
    } else if (s.startsWith("*/", i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return s.length;
}

function endOfQuoted(s: string, i: number, q: string, backslashEscapes: boolean): number {
  i++;
  while (i < s.length) {
    if (backslashEscapes && s[i] === "\\") i += 2;
    else if (s[i] === q && s[i + 1] === q) i += 2;
    else if (s[i] === q) return i + 1;
    else i++;
  }
  return s.length;
}

/** `E'...'` strings take backslash escapes. */
function isEscapeString(s: string, i: number): boolean {
  return (s[i - 1] === "E" || s[i - 1] === "e") && !/[A-Za-z0-9_]/.test(s[i - 2] ?? "");
}

/** `$tag$` opening a dollar-quoted string at i (not `$1` parameters or `a$b` identifiers). */
function dollarTag(s: string, i: number): string | undefined {
  if (/[A-Za-z0-9_]/.test(s[i - 1] ?? "")) return undefined;
  const m = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(s.slice(i, i + 64));
  return m ? m[0] : undefined;
}

// Typed Redis fixtures (YAML or JSON), pure: a list of keys, each
// `{ key, type: string|hash|list|set|zset|stream, value, ttl? }`, compiled to the commands that
// create exactly that key (DEL first, so re-applying yields the declared state). Errors name
// file:line:col of the offending node.
import { parse as parseJson, printParseErrorCode, type ParseError } from "jsonc-parser";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { fileError, type RedisCommand } from "./redis-commands.js";

export const REDIS_TYPES = ["string", "hash", "list", "set", "zset", "stream"] as const;
const FIELDS = ["key", "type", "value", "ttl"];
const FORMAT_HINT = "see docs/seeding.md: a list of { key, type, value, ttl? }";

/** Parses a fixture file into commands; throws file:line errors on bad input. */
export function parseRedisFixtures(text: string, file: string): RedisCommand[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  const at = (node: Node | null | undefined) => lc.linePos(node?.range?.[0] ?? 0);
  const fail = (msg: string, node: Node | null | undefined, hint = FORMAT_HINT): never => {
    const p = at(node);
    throw fileError(`${file}: ${msg}`, file, p.line, p.col, hint);
  };
  // YAML reads JSON too (and gives the node positions below), but accepts more than JSON does
  // (`{"a": }`, comments): a .json file must pass a strict JSON parse first.
  const jsonError = file.toLowerCase().endsWith(".json") ? jsonSyntaxError(text) : undefined;
  if (jsonError) {
    const p = lc.linePos(jsonError.offset);
    throw fileError(`${file}: malformed fixture file: ${jsonError.message}`, file, p.line, p.col, "fix the JSON syntax at that position");
  }
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const p = e.linePos?.[0] ?? { line: 1, col: 1 };
    throw fileError(`${file}: malformed fixture file: ${e.message.split("\n")[0]}`, file, p.line, p.col, "fix the YAML/JSON syntax at that position");
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return [];
  if (!isSeq(root)) return fail("a fixture file is a list of keys", root as Node);

  const out: RedisCommand[] = [];
  for (const item of root.items) {
    const entry = item as Node;
    if (!isMap(entry)) fail("each fixture is a mapping { key, type, value, ttl? }", entry);
    const map = entry as import("yaml").YAMLMap;
    for (const pair of map.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : "";
      if (!FIELDS.includes(k)) fail(`unknown field "${k}" in a fixture; allowed: ${FIELDS.join(", ")}`, pair.key as Node);
    }
    const node = (name: string) => map.get(name, true) as Node | undefined;
    const line = at(entry).line;
    const keyNode = node("key");
    if (!isScalar(keyNode) || keyNode.value === null || keyNode.value === "") fail("fixture has no key", entry);
    const key = String((keyNode as import("yaml").Scalar).value);
    const typeNode = node("type");
    const type = isScalar(typeNode) ? String(typeNode.value) : undefined;
    if (!type || !(REDIS_TYPES as readonly string[]).includes(type)) {
      fail(`unknown Redis type ${type === undefined ? "(missing)" : `"${type}"`} for key "${key}"`, typeNode ?? entry, `use one of: ${REDIS_TYPES.join(", ")}`);
    }
    const valueNode = node("value");
    if (valueNode === undefined) fail(`key "${key}" has no value`, entry);
    const cmd = (...args: string[]): RedisCommand => ({ args, file, line });
    out.push(cmd("DEL", key));
    out.push(...valueCommands(type as (typeof REDIS_TYPES)[number], key, valueNode!, cmd, (m) => fail(`key "${key}" (${type}): ${m}`, valueNode)));
    const ttlNode = node("ttl");
    if (ttlNode !== undefined) {
      const ttl = isScalar(ttlNode) ? ttlNode.value : undefined;
      if (typeof ttl !== "number" || !Number.isInteger(ttl) || ttl <= 0) fail(`key "${key}": ttl must be a positive whole number of seconds`, ttlNode);
      out.push(cmd("EXPIRE", key, String(ttl)));
    }
  }
  return out;
}

type Cmd = (...args: string[]) => RedisCommand;

const JSON_ERRORS: Partial<Record<ReturnType<typeof printParseErrorCode>, string>> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "malformed number",
  PropertyNameExpected: "expected a property name in double quotes",
  ValueExpected: "expected a value",
  ColonExpected: "expected ':'",
  CommaExpected: "expected ','",
  CloseBraceExpected: "expected '}'",
  CloseBracketExpected: "expected ']'",
  EndOfFileExpected: "unexpected text after the JSON value",
  InvalidCommentToken: "comments are not allowed in JSON",
  UnexpectedEndOfComment: "unterminated comment",
  UnexpectedEndOfString: "unterminated string",
  UnexpectedEndOfNumber: "unterminated number",
  InvalidUnicode: "invalid \\u escape",
  InvalidEscapeCharacter: "invalid escape character",
  InvalidCharacter: "invalid character in a string",
};

/** The first syntax error of a strict JSON text (no comments, no trailing commas), or undefined. */
export function jsonSyntaxError(text: string): { offset: number; message: string } | undefined {
  const errors: ParseError[] = [];
  parseJson(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const e = errors[0];
  if (!e) return undefined;
  const code = printParseErrorCode(e.error);
  const found = e.length > 0 ? text.slice(e.offset, e.offset + Math.min(e.length, 20)).split("\n")[0] : "";
  const what = JSON_ERRORS[code] ?? code;
  return { offset: e.offset, message: e.offset >= text.length ? `${what} before the end` : found ? `${what}, found '${found}'` : what };
}

function valueCommands(type: (typeof REDIS_TYPES)[number], key: string, node: Node, cmd: Cmd, bad: (m: string) => never): RedisCommand[] {
  const scalar = (n: unknown, what: string): string => {
    if (!isScalar(n) || n.value === null || typeof n.value === "object") return bad(`${what} must be a string or number`);
    return String(n.value);
  };
  const pairs = (what: string): [string, string][] => {
    if (!isMap(node) || node.items.length === 0) return bad(`value must be a non-empty mapping of ${what}`);
    return node.items.map((p) => [scalar(p.key, "a field name"), scalar(p.value, "a field value")]);
  };
  const items = (what: string): string[] => {
    if (!isSeq(node) || node.items.length === 0) return bad(`value must be a non-empty list of ${what}`);
    return node.items.map((n) => scalar(n, "an element"));
  };
  switch (type) {
    case "string":
      return [cmd("SET", key, scalar(node, "value"))];
    case "hash":
      return [cmd("HSET", key, ...pairs("field: value").flat())];
    case "list":
      return [cmd("RPUSH", key, ...items("elements"))];
    case "set":
      return [cmd("SADD", key, ...items("members"))];
    case "zset": {
      const scored = pairs("member: score").map(([member, score]) => {
        if (!Number.isFinite(Number(score))) bad(`score of "${member}" must be a number`);
        return [score, member];
      });
      return [cmd("ZADD", key, ...scored.flat())];
    }
    case "stream": {
      if (!isSeq(node) || node.items.length === 0) return bad("value must be a non-empty list of entries (mappings of field: value)");
      return node.items.map((entry) => {
        if (!isMap(entry) || entry.items.length === 0) return bad("each stream entry is a non-empty mapping of field: value");
        return cmd("XADD", key, "*", ...entry.items.flatMap((p) => [scalar(p.key, "a field name"), scalar(p.value, "a field value")]));
      });
    }
  }
}

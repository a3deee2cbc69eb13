// Redis fixture files as users write them, and the error each mistake gets: the message,
// file:line:col of the node at fault, and how to fix it.
import { describe, expect, it } from "vitest";
import { jsonSyntaxError, parseRedisFixtures } from "../../../src/seed/redis-fixtures.js";
import { thrown } from "../../helpers/errors.js";

const FORMAT_HINT = "see docs/seeding.md: a list of { key, type, value, ttl? }";
const args = (yaml: string, file = "f.yaml") => parseRedisFixtures(yaml, file).map((c) => c.args);

describe("values that work", () => {
  it("numbers and booleans are sent as their text", () => {
    expect(args("- { key: n, type: string, value: 5 }\n- { key: b, type: string, value: true }")).toEqual([["DEL", "n"], ["SET", "n", "5"], ["DEL", "b"], ["SET", "b", "true"]]);
  });
  it("a numeric key is a key", () => {
    expect(args("- { key: 42, type: string, value: x }")).toEqual([["DEL", "42"], ["SET", "42", "x"]]);
  });
  it("a stream with several entries adds each, in order, with auto ids", () => {
    expect(args("- key: s\n  type: stream\n  value:\n    - { a: 1 }\n    - { b: 2, c: 3 }\n")).toEqual([["DEL", "s"], ["XADD", "s", "*", "a", "1"], ["XADD", "s", "*", "b", "2", "c", "3"]]);
  });
  it("zset scores written as text or in exponent form are numbers", () => {
    expect(args("- { key: z, type: zset, value: { a: '7', b: 1e3, c: -2 } }")).toEqual([["DEL", "z"], ["ZADD", "z", "7", "a", "1000", "b", "-2", "c"]]);
  });
  it("every command of a key carries the line the key starts on", () => {
    const cmds = parseRedisFixtures("# cache\n\n- key: a\n  type: string\n  value: x\n  ttl: 10\n", "f.yaml");
    expect(cmds.map((c) => [c.args[0], c.line, c.file])).toEqual([["DEL", 3, "f.yaml"], ["SET", 3, "f.yaml"], ["EXPIRE", 3, "f.yaml"]]);
  });
  it("a file of comments only, or ~, has no keys", () => {
    expect(parseRedisFixtures("# nothing yet\n", "f.yaml")).toEqual([]);
    expect(parseRedisFixtures("~\n", "f.yaml")).toEqual([]);
    expect(parseRedisFixtures("[]", "f.json")).toEqual([]);
  });
  it("a .yaml file may hold comments that a .json file may not", () => {
    expect(args("# c\n[{ key: a, type: string, value: x }]", "f.yml")).toEqual([["DEL", "a"], ["SET", "a", "x"]]);
    expect(thrown(() => parseRedisFixtures('// c\n[{"key": "a", "type": "string", "value": "x"}]', "F.JSON")).message).toBe("F.JSON: malformed fixture file: comments are not allowed in JSON, found '// c'");
  });
});

describe("mistakes, each at its place", () => {
  it("an entry that is not a mapping", () => {
    const e = thrown(() => parseRedisFixtures("- { key: a, type: string, value: x }\n- just-a-key\n", "f.yaml"));
    expect(e.message).toBe("f.yaml: each fixture is a mapping { key, type, value, ttl? }");
    expect(e.where).toBe("f.yaml:2:3");
    expect(e.hint).toBe(FORMAT_HINT);
    expect(e.exitCode).toBe(2);
  });
  it("a top level that is plain text is not a list either", () => {
    expect(thrown(() => parseRedisFixtures("just some text\n", "f.yaml")).message).toBe("f.yaml: a fixture file is a list of keys");
  });
  it("a key that is a list or a mapping is no key", () => {
    expect(thrown(() => parseRedisFixtures("- { key: [a], type: string, value: x }", "f.yaml")).message).toBe("f.yaml: fixture has no key");
    expect(thrown(() => parseRedisFixtures("- { key: { a: 1 }, type: string, value: x }", "f.yaml")).message).toBe("f.yaml: fixture has no key");
  });
  it("the top level is not a list", () => {
    const e = thrown(() => parseRedisFixtures("\nkey: a\n", "f.yaml"));
    expect(e.message).toBe("f.yaml: a fixture file is a list of keys");
    expect(e.where).toBe("f.yaml:2:1");
  });
  it("an unknown field names the allowed ones, at the field", () => {
    const e = thrown(() => parseRedisFixtures("- key: a\n  type: string\n  value: x\n  expire: 5\n", "f.yaml"));
    expect(e.message).toBe('f.yaml: unknown field "expire" in a fixture; allowed: key, type, value, ttl');
    expect(e.where).toBe("f.yaml:4:3");
  });
  it("no key, an empty key, or a null key", () => {
    for (const y of ["- { type: string, value: x }", "- { key: '', type: string, value: x }", "- { key: ~, type: string, value: x }"]) {
      const e = thrown(() => parseRedisFixtures(y, "f.yaml"));
      expect(e.message).toBe("f.yaml: fixture has no key");
      expect(e.where).toBe("f.yaml:1:3");
    }
  });
  it("a missing type says so, at the entry, with the types to use", () => {
    const e = thrown(() => parseRedisFixtures("- { key: a, value: x }", "f.yaml"));
    expect(e.message).toBe('f.yaml: unknown Redis type (missing) for key "a"');
    expect(e.where).toBe("f.yaml:1:3");
    expect(e.hint).toBe("use one of: string, hash, list, set, zset, stream");
  });
  it("a missing value names the key", () => {
    const e = thrown(() => parseRedisFixtures("- { key: a, type: hash }", "f.yaml"));
    expect(e.message).toBe('f.yaml: key "a" has no value');
    expect(e.where).toBe("f.yaml:1:3");
  });
  it("a value of the wrong shape names key, type and what is expected, at the value", () => {
    const cases: [string, string][] = [
      ["- { key: a, type: string, value: [x] }", 'key "a" (string): value must be a string or number'],
      ["- { key: a, type: string, value: ~ }", 'key "a" (string): value must be a string or number'],
      ["- { key: a, type: hash, value: [x] }", 'key "a" (hash): value must be a non-empty mapping of field: value'],
      ["- { key: a, type: hash, value: {} }", 'key "a" (hash): value must be a non-empty mapping of field: value'],
      ["- { key: a, type: hash, value: { f: [1] } }", 'key "a" (hash): a field value must be a string or number'],
      ["- { key: a, type: hash, value: { f: ~ } }", 'key "a" (hash): a field value must be a string or number'],
      ["- { key: a, type: list, value: x }", 'key "a" (list): value must be a non-empty list of elements'],
      ["- { key: a, type: set, value: [] }", 'key "a" (set): value must be a non-empty list of members'],
      ["- { key: a, type: set, value: [[x]] }", 'key "a" (set): an element must be a string or number'],
      ["- { key: a, type: zset, value: [a] }", 'key "a" (zset): value must be a non-empty mapping of member: score'],
      ["- { key: a, type: zset, value: { m: .inf } }", 'key "a" (zset): score of "m" must be a number'],
      ["- { key: a, type: stream, value: { f: v } }", 'key "a" (stream): value must be a non-empty list of entries (mappings of field: value)'],
      ["- { key: a, type: stream, value: [] }", 'key "a" (stream): value must be a non-empty list of entries (mappings of field: value)'],
      ["- { key: a, type: stream, value: [x] }", 'key "a" (stream): each stream entry is a non-empty mapping of field: value'],
      ["- { key: a, type: stream, value: [{}] }", 'key "a" (stream): each stream entry is a non-empty mapping of field: value'],
      ["- { key: a, type: stream, value: [{ f: { g: 1 } }] }", 'key "a" (stream): a field value must be a string or number'],
    ];
    for (const [y, msg] of cases) {
      const e = thrown(() => parseRedisFixtures(y, "f.yaml"));
      expect(e.message, y).toBe(`f.yaml: ${msg}`);
      expect(e.where, y).toBe(`f.yaml:1:${y.indexOf("value: ") + 8}`);
      expect(e.hint, y).toBe(FORMAT_HINT);
    }
  });
  it("a field name that is not a string (a YAML complex key) is named as such", () => {
    expect(thrown(() => parseRedisFixtures("- key: a\n  type: hash\n  value:\n    ? [x]\n    : 1\n", "f.yaml")).message).toBe('f.yaml: key "a" (hash): a field name must be a string or number');
    expect(thrown(() => parseRedisFixtures("- key: a\n  type: stream\n  value:\n    - ? [x]\n      : 1\n", "f.yaml")).message).toBe('f.yaml: key "a" (stream): a field name must be a string or number');
  });
  it("a fixture field that is not a plain name is unknown", () => {
    expect(thrown(() => parseRedisFixtures("- ? [k]\n  : v\n", "f.yaml")).message).toBe('f.yaml: unknown field "" in a fixture; allowed: key, type, value, ttl');
  });
  it("a ttl that is not a positive whole number, at the ttl", () => {
    for (const ttl of ["0", "1.5", "'60'", "-3"]) {
      const y = `- { key: a, type: string, value: x, ttl: ${ttl} }`;
      const e = thrown(() => parseRedisFixtures(y, "f.yaml"));
      expect(e.message, ttl).toBe('f.yaml: key "a": ttl must be a positive whole number of seconds');
      expect(e.where, ttl).toBe(`f.yaml:1:${y.indexOf("ttl: ") + 6}`);
    }
    expect(args("- { key: a, type: string, value: x, ttl: 1 }")).toEqual([["DEL", "a"], ["SET", "a", "x"], ["EXPIRE", "a", "1"]]);
  });
  it("a key written twice in one entry is malformed YAML", () => {
    const e = thrown(() => parseRedisFixtures("- key: a\n  key: b\n  type: string\n  value: x\n", "f.yaml"));
    expect(e.message).toMatch(/^f\.yaml: malformed fixture file: /);
    expect(e.message).not.toContain("\n");
    expect(e.where).toBe("f.yaml:2:3");
    expect(e.hint).toBe("fix the YAML/JSON syntax at that position");
  });
  it("a JSON syntax error says how to fix it", () => {
    const e = thrown(() => parseRedisFixtures('[{"key": "a",}]', "f.json"));
    expect(e.hint).toBe("fix the JSON syntax at that position");
    expect(e.where).toBe("f.json:1:14");
  });
});

describe("jsonSyntaxError's words", () => {
  it("what was found is cut at 20 characters and at the end of its line", () => {
    expect(jsonSyntaxError(`[1] ${"x".repeat(40)}`)?.message).toBe(`unexpected character, found '${"x".repeat(20)}'`);
    expect(jsonSyntaxError("[1] ab\ncd")?.message).toBe("unexpected character, found 'ab'");
  });
  it("an error at the end of the text says so", () => {
    expect(jsonSyntaxError('{"a": 1')).toEqual({ offset: 7, message: "expected '}' before the end" });
    expect(jsonSyntaxError("")).toEqual({ offset: 0, message: "expected a value before the end" });
  });
  it("an unterminated string is named", () => {
    expect(jsonSyntaxError('["abc')?.message).toMatch(/^unterminated string/);
  });
});

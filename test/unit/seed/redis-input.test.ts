import { describe, expect, it } from "vitest";
import { parseRedisCommands, splitArgs } from "../../../src/seed/redis-commands.js";
import { parseRedisFixtures } from "../../../src/seed/redis-fixtures.js";
import { thrown } from "../../helpers/errors.js";


describe("parseRedisFixtures", () => {
  it("compiles every type to commands that recreate the key, with TTLs, keeping lines", () => {
    const yaml = [
      "- { key: greeting, type: string, value: hello, ttl: 60 }",
      "- key: user:1",
      "  type: hash",
      "  value: { name: Ada, age: 36 }",
      "- { key: q, type: list, value: [a, b] }",
      "- { key: tags, type: set, value: [x, y] }",
      "- { key: board, type: zset, value: { ada: 10, bob: 2.5 } }",
      "- { key: events, type: stream, value: [ { kind: login, user: '1' } ] }",
    ].join("\n");
    const cmds = parseRedisFixtures(yaml, "f.yaml");
    expect(cmds.map((c) => c.args)).toEqual([
      ["DEL", "greeting"], ["SET", "greeting", "hello"], ["EXPIRE", "greeting", "60"],
      ["DEL", "user:1"], ["HSET", "user:1", "name", "Ada", "age", "36"],
      ["DEL", "q"], ["RPUSH", "q", "a", "b"],
      ["DEL", "tags"], ["SADD", "tags", "x", "y"],
      ["DEL", "board"], ["ZADD", "board", "10", "ada", "2.5", "bob"],
      ["DEL", "events"], ["XADD", "events", "*", "kind", "login", "user", "1"],
    ]);
    expect(cmds.find((c) => c.args[0] === "HSET")!.line).toBe(2);
  });

  it("reads JSON with positions too", () => {
    const cmds = parseRedisFixtures('[\n  {"key": "a", "type": "string", "value": "1"}\n]', "f.json");
    expect(cmds[1]).toMatchObject({ args: ["SET", "a", "1"], line: 2, file: "f.json" });
  });

  it("reports malformed YAML and JSON with file:line", () => {
    expect(thrown(() => parseRedisFixtures("- key: a\n  type: [unclosed\n", "bad.yaml")).where).toMatch(/^bad\.yaml:\d+:\d+$/);
    const e = thrown(() => parseRedisFixtures('[\n {"key": "a",\n  "type": }\n]', "bad.json"));
    expect(e.where).toMatch(/^bad\.json:3:/);
    expect(e.message).toContain("malformed fixture file");
  });

  it("names the unknown type, where it is, and the allowed types", () => {
    const e = thrown(() => parseRedisFixtures("- { key: a, type: string, value: x }\n- key: b\n  type: hashmap\n  value: {}\n", "t.yaml"));
    expect(e.message).toContain('unknown Redis type "hashmap"');
    expect(e.where).toBe("t.yaml:3:9");
    expect(e.hint).toContain("string, hash, list, set, zset, stream");
  });

  it("rejects unknown fields, empty collections, bad TTLs and non-lists", () => {
    expect(thrown(() => parseRedisFixtures("- { key: a, type: string, value: x, tll: 5 }", "f.yaml")).message).toContain('unknown field "tll"');
    expect(thrown(() => parseRedisFixtures("- { key: a, type: list, value: [] }", "f.yaml")).message).toContain("non-empty list");
    expect(thrown(() => parseRedisFixtures("- { key: a, type: string, value: x, ttl: -1 }", "f.yaml")).message).toContain("ttl");
    expect(thrown(() => parseRedisFixtures("key: a", "f.yaml")).message).toContain("a list of keys");
    expect(thrown(() => parseRedisFixtures("- { key: a, type: zset, value: { m: high } }", "f.yaml")).message).toContain("score");
  });

  it("treats an empty file as no keys", () => {
    expect(parseRedisFixtures("", "e.yaml")).toEqual([]);
  });
});

describe(".redis command files", () => {
  it("splits like redis-cli and keeps line numbers, skipping comments", () => {
    const cmds = parseRedisCommands('# comment\nSET greeting "hello world"\n\nHSET h f \'it\\\'s\' n "a\\nb\\x41"\n', "c.redis");
    expect(cmds).toEqual([
      { args: ["SET", "greeting", "hello world"], file: "c.redis", line: 2 },
      { args: ["HSET", "h", "f", "it's", "n", "a\nbA"], file: "c.redis", line: 4 },
    ]);
  });

  it("reports unbalanced quotes with file:line", () => {
    const e = thrown(() => parseRedisCommands('SET a 1\nSET b "oops\n', "c.redis"));
    expect(e.where).toBe("c.redis:2");
    expect(e.message).toContain("unbalanced");
    expect(splitArgs('SET "a"b')).toMatch(/closing quote/);
  });
});

describe("jsonSyntaxError (jsonc-parser, strict)", () => {
  it("accepts valid JSON and points at the first error", async () => {
    const { jsonSyntaxError } = await import("../../../src/seed/redis-fixtures.js");
    expect(jsonSyntaxError('{"a": [1, -2.5e3, true, null, "x\\"y"], "b": {}}')).toBeUndefined();
    expect(jsonSyntaxError('{"a": }')).toEqual({ offset: 6, message: "expected a value, found '}'" });
    expect(jsonSyntaxError("[1, 2,]")).toMatchObject({ offset: 6 });
    expect(jsonSyntaxError("[1] 2")?.message).toContain("after the JSON value");
    expect(jsonSyntaxError("[1] x")).toMatchObject({ offset: 4, message: "unexpected character, found 'x'" });
    expect(jsonSyntaxError('{"a" 1}')?.message).toContain("expected ':'");
    expect(jsonSyntaxError("// note\n[]")?.message).toContain("comments are not allowed");
    expect(jsonSyntaxError('[{"a": 1}')?.message).toBe("expected ']' before the end");
  });

  it("a malformed .json fixture names file:line:col", () => {
    const e = thrown(() => parseRedisFixtures('[\n  {"key": "a",\n   "type": "string", "value": }\n]', "f.json"));
    expect(e.where).toBe("f.json:3:31");
    expect(e.message).toBe("f.json: malformed fixture file: expected a value, found '}'");
  });
});

import { describe, expect, it } from "vitest";
import { excerpt, lineAt, splitStatements, statementAt } from "../../../src/seed/sql-locate.js";

describe("splitStatements", () => {
  it("splits at top-level semicolons with the start offset of each statement", () => {
    const sql = "-- header\ncreate table a(x int);\n\ninsert into a values (1);\n";
    const s = splitStatements(sql);
    expect(s.map((x) => x.text)).toEqual(["create table a(x int)", "insert into a values (1)"]);
    expect(lineAt(sql, s[1]!.start).line).toBe(4);
  });

  it("ignores semicolons inside strings, identifiers, comments and dollar quotes", () => {
    const sql = [
      "insert into t values ('a;b', 'it''s;');",
      'create table "we;ird"(x int);',
      "/* a; /* nested; */ still; */ select 1;",
      "create function f() returns int as $body$ begin; return 1; end $body$ language plpgsql;",
      "select $$x;y$$, E'\\';', $1;",
    ].join("\n");
    expect(splitStatements(sql).map((x) => x.text.slice(0, 12))).toEqual(["insert into ", 'create table', "select 1", "create funct", "select $$x;y"]);
  });

  it("drops comment-only chunks and keeps a final statement without semicolon", () => {
    expect(splitStatements("select 1; -- done\n").map((s) => s.text)).toEqual(["select 1"]);
    expect(splitStatements("select 1;\nselect 2").map((s) => s.text)).toEqual(["select 1", "select 2"]);
  });
});

describe("lineAt / statementAt / excerpt", () => {
  it("maps offsets to 1-based line and column", () => {
    expect(lineAt("ab\ncd\nef", 0)).toEqual({ line: 1, col: 1 });
    expect(lineAt("ab\ncd\nef", 4)).toEqual({ line: 2, col: 2 });
  });

  it("finds the statement holding an offset", () => {
    const sql = "select 1;\nselect * from nope;\nselect 3;";
    const s = splitStatements(sql);
    expect(statementAt(s, sql.indexOf("nope"))!.text).toBe("select * from nope");
  });

  it("shortens long statements to one line", () => {
    expect(excerpt("select\n  1", 100)).toBe("select 1");
    expect(excerpt("x".repeat(400), 10)).toHaveLength(10);
  });
});

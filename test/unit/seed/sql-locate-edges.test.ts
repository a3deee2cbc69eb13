// Statements as people write them in seed files: comments with semicolons, Windows paths in
// strings, parameters that look like dollar quotes.
import { describe, expect, it } from "vitest";
import { lineAt, splitStatements, statementAt } from "../../../src/seed/sql-locate.js";

const texts = (sql: string) => splitStatements(sql).map((s) => s.text);

describe("splitStatements, edge cases", () => {
  it("a ';' inside a -- comment does not end the statement", () => {
    expect(texts("select 1, -- one; two\n 2;\nselect 3;")).toEqual(["select 1, -- one; two\n 2", "select 3"]);
  });
  it("a -- comment at the end of the file without a newline", () => {
    expect(texts("select 1; -- the end; really")).toEqual(["select 1"]);
  });
  it("a plain string ending in a backslash closes at its quote (standard strings have no escapes)", () => {
    expect(texts("insert into p values ('C:\\'); select 2;")).toEqual(["insert into p values ('C:\\')", "select 2"]);
  });
  it("E'' strings take backslash escapes, an identifier ending in e does not make one", () => {
    expect(texts("select e'a\\';b'; select 2;")).toEqual(["select e'a\\';b'", "select 2"]);
    expect(texts("select name'C:\\'; select 2;")).toEqual(["select name'C:\\'", "select 2"]);
  });
  it("an unterminated string or comment runs to the end of the file", () => {
    expect(texts("select 'a; select 2;")).toEqual(["select 'a; select 2;"]);
    expect(texts("select 1 /* a; b")).toEqual(["select 1 /* a; b"]);
    expect(texts('select "a; b')).toEqual(['select "a; b']);
    expect(texts("select $x$ a; b")).toEqual(["select $x$ a; b"]);
  });
  it("$1 parameters and a$b identifiers are not dollar quotes", () => {
    expect(texts("select $1; select a$b$; select 3;")).toEqual(["select $1", "select a$b$", "select 3"]);
  });
  it("statement offsets skip leading comments and blank lines", () => {
    const sql = "select 1;\n\n-- next one\n/* block */\ninsert into t values (1);";
    const [, second] = splitStatements(sql);
    expect(second).toMatchObject({ text: "insert into t values (1)", start: sql.indexOf("insert"), end: sql.length });
    expect(lineAt(sql, second!.start)).toEqual({ line: 5, col: 1 });
  });
  it("an offset past every statement's end maps to the last statement; none for an empty file", () => {
    const s = splitStatements("select 1;\nselect 2;\n");
    expect(statementAt(s, 1000)?.text).toBe("select 2");
    expect(statementAt(s, 9)?.text).toBe("select 2");
    expect(statementAt(s, 8)?.text).toBe("select 1");
    expect(statementAt([], 3)).toBeUndefined();
  });
  it("lineAt clamps offsets outside the text", () => {
    expect(lineAt("ab\ncd", 99).line).toBe(2);
    expect(lineAt("ab\ncd", -5)).toEqual({ line: 1, col: -4 });
  });
});

// Which statement of a seed file the server's error points at, as people write SQL: quoted
// identifiers, escape strings, nested comments, dollar quotes with tags.
import { describe, expect, it } from "vitest";
import { excerpt, redactSql, splitStatements, statementAt, withoutSecrets } from "../../../src/seed/sql-locate.js";

const texts = (sql: string) => splitStatements(sql).map((s) => s.text);

describe("quotes", () => {
  it('a doubled "" inside a quoted identifier does not close it', () => {
    expect(texts('create table "a"";b"(x int); select 2;')).toEqual(['create table "a"";b"(x int)', "select 2"]);
  });
  it("a doubled '' inside a string does not close it", () => {
    expect(texts("select 'it''s; here'; select 2;")).toEqual(["select 'it''s; here'", "select 2"]);
  });
  it("upper-case E'' takes backslash escapes; after a space too", () => {
    expect(texts("select E'a\\';b'; select 2;")).toEqual(["select E'a\\';b'", "select 2"]);
    expect(texts("select (E'x\\';y'), 1; select 2;")).toEqual(["select (E'x\\';y'), 1", "select 2"]);
    expect(texts("select E'\\\\'; select 2;")).toEqual(["select E'\\\\'", "select 2"]);
  });
  it("an identifier ending in e or E before a quote (x_e'..', type1e'..') is no escape string", () => {
    expect(texts("select x_e'C:\\'; select 2;")).toEqual(["select x_e'C:\\'", "select 2"]);
    expect(texts("select t1E'C:\\'; select 2;")).toEqual(["select t1E'C:\\'", "select 2"]);
  });
  it("an escape string or a dollar quote at the very start of a file", () => {
    expect(texts("E'a\\';b'; select 2;")).toEqual(["E'a\\';b'", "select 2"]);
    expect(texts("$$a;b$$; select 2;")).toEqual(["$$a;b$$", "select 2"]);
  });
  it("a backslash in a plain string at the start of a file", () => {
    expect(texts("'\\'; select 2;")).toEqual(["'\\'", "select 2"]);
  });
});

describe("operators that look like comment starts", () => {
  it("a minus or a division is not a comment", () => {
    expect(texts("select 5 - 3; select 2;")).toEqual(["select 5 - 3", "select 2"]);
    expect(texts("select 4/2; select 1;")).toEqual(["select 4/2", "select 1"]);
    expect(texts("select -1; select 2;")).toEqual(["select -1", "select 2"]);
  });
  it("a backslash inside a quoted identifier is literal", () => {
    expect(texts('select "a\\"; select 2;')).toEqual(['select "a\\"', "select 2"]);
  });
  it("spaces before the semicolon are not part of the statement", () => {
    expect(splitStatements("select 1 ;\nselect 2\t;")).toEqual([
      { text: "select 1", start: 0, end: 10 },
      { text: "select 2", start: 11, end: 21 },
    ]);
  });
});

describe("dollar quotes", () => {
  it("a tagged body closes only at the same tag", () => {
    expect(texts("select $a$ x; $b$ y; $a$; select 2;")).toEqual(["select $a$ x; $b$ y; $a$", "select 2"]);
  });
  it("a tag right after an identifier character is not a dollar quote", () => {
    expect(texts("select x$a$; select 2; select $a$;")).toEqual(["select x$a$", "select 2", "select $a$;"]);
  });
  it("tags with digits and underscores after the first letter", () => {
    expect(texts("do $_t1$ begin; end $_t1$; select 2;")).toEqual(["do $_t1$ begin; end $_t1$", "select 2"]);
  });
});

describe("comments", () => {
  it("nested block comments hide semicolons until the outermost closes", () => {
    expect(texts("select 1 /* a /* b; */ c; */; select 2;")).toEqual(["select 1 /* a /* b; */ c; */", "select 2"]);
  });
  it("an empty block comment /**/ closes", () => {
    expect(texts("select 1 /**/; select 2;")).toEqual(["select 1 /**/", "select 2"]);
    expect(texts("/**/select 1; /* a /**/ b */ select 2;")).toEqual(["select 1", "select 2"]);
  });
  it("several leading comments and blank lines are skipped for the start offset", () => {
    const sql = "select 1;\n  -- one\n\n  /* two /* nested */ */ -- three\n\tupdate t set a = 1;";
    const s = splitStatements(sql);
    expect(s[1]).toEqual({ text: "update t set a = 1", start: sql.indexOf("update"), end: sql.length });
  });
  it("a file of comments and semicolons only has no statements", () => {
    expect(splitStatements("-- a;\n/* b; */ ;\n ; \n")).toEqual([]);
  });
  it("statement ends are just past their semicolon", () => {
    const sql = "select 1;select 2;";
    expect(splitStatements(sql)).toEqual([
      { text: "select 1", start: 0, end: 9 },
      { text: "select 2", start: 9, end: 18 },
    ]);
    expect(statementAt(splitStatements(sql), 9)?.text).toBe("select 2");
  });
});

describe("excerpt", () => {
  it("a statement exactly at the limit is kept whole, one longer is cut with an ellipsis", () => {
    expect(excerpt("x".repeat(10), 10)).toBe("x".repeat(10));
    expect(excerpt("x".repeat(11), 10)).toBe(`${"x".repeat(9)}…`);
    expect(excerpt("y".repeat(301))).toBe(`${"y".repeat(299)}…`);
    expect(excerpt("y".repeat(300))).toBe("y".repeat(300));
  });
  it("runs of whitespace (tabs, newlines) become one space", () => {
    expect(excerpt("select\t\t1,\n\n  2")).toBe("select 1, 2");
  });
});

describe("passwords never reach a message", () => {
  it("the literal and its inner value are both kept out of the server's message", () => {
    const { text, secrets } = redactSql("CREATE ROLE a PASSWORD 'hunter2' LOGIN");
    expect(text).toBe("CREATE ROLE a PASSWORD '***' LOGIN");
    expect(withoutSecrets("role failed near hunter2 and 'hunter2'", secrets)).toBe("role failed near *** and ***");
  });
  it("a tagged dollar-quoted password is masked whole", () => {
    const { text, secrets } = redactSql("alter role a password $pw$s3cr3t;x$pw$ valid until 'infinity'");
    expect(text).toBe("alter role a password '***' valid until 'infinity'");
    expect(secrets).toContain("s3cr3t;x");
  });
  it("longer secrets are masked before the shorter ones inside them", () => {
    expect(withoutSecrets("value abcdef here", ["abc", "abcdef"])).toBe("value *** here");
    expect(withoutSecrets("nothing here", [""])).toBe("nothing here");
    const given = ["abc", "abcdef"];
    withoutSecrets("abcdef", given);
    expect(given).toEqual(["abc", "abcdef"]);
  });
  it("the password's inner value is kept out too, whitespace, newlines and E'' escapes included", () => {
    expect(redactSql("create role a password 'a b\nc'").secrets).toEqual(["'a b\nc'", "a b\nc"]);
    expect(redactSql("create role a password E'e\\'x'").secrets).toEqual(["E'e\\'x'", "e\\'x"]);
    expect(redactSql("create role a password $$p w$$").secrets).toEqual(["$$p w$$", "p w"]);
    expect(redactSql("create role a password $t$p\nw$t$").secrets).toEqual(["$t$p\nw$t$", "p\nw"]);
  });
  it("an empty password is masked, and no empty value is remembered", () => {
    expect(redactSql("create role a password ''")).toEqual({ text: "create role a password '***'", secrets: ["''"] });
  });
  it("no password: nothing remembered", () => {
    expect(redactSql("select 1")).toEqual({ text: "select 1", secrets: [] });
  });
  it("two passwords in one statement are both masked", () => {
    const { text, secrets } = redactSql("create role a password 'one'; create role b password 'two'");
    expect(text).toBe("create role a password '***'; create role b password '***'");
    expect(secrets).toEqual(["'one'", "one", "'two'", "two"]);
  });
});

// `.env` files as projects ship them, and what a user reads when a line is wrong: the file,
// the line, the key, never the value.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseDotenv, readDotenvFile } from "../../../src/files/dotenv.js";
import { thrown } from "../../helpers/errors.js";


describe("lines that parse", () => {
  it("names with dots and dashes, `export` with several spaces, spaces around =", () => {
    expect(parseDotenv("export = 1", ".env")).toEqual({ export: "1" });
    expect(parseDotenv("spring.profile-name=dev\nexport   A=1\nB =2\nC= 3 \nexportX=4", ".env")).toEqual({ "spring.profile-name": "dev", A: "1", B: "2", C: "3", exportX: "4" });
  });
  it("a quote inside an unquoted value is kept as written", () => {
    expect(parseDotenv("A=it's\nB=a\"b\"", ".env")).toEqual({ A: "it's", B: 'a"b"' });
  });
  it("a comment after a quoted value is ignored", () => {
    expect(parseDotenv("A='x y' # note\nB=\"p q\"   # note", ".env")).toEqual({ A: "x y", B: "p q" });
  });
  it("a # inside quotes is part of the value, a # without a space before it too", () => {
    expect(parseDotenv("A='x # y'\nB=\"x # y\"\nC=x#y", ".env")).toEqual({ A: "x # y", B: "x # y", C: "x#y" });
  });
  it("a tab before # starts a comment too", () => {
    expect(parseDotenv("A=v\t# c", ".env")).toEqual({ A: "v" });
  });
  it("double quotes: \\n \\r \\t escapes, other backslashes kept", () => {
    expect(parseDotenv('A="l1\\nl2"\nB="C:\\\\dir\\q"', ".env")).toEqual({ A: "l1\nl2", B: "C:\\dir\\q" });
  });
  it("unquoted and double-quoted values interpolate, single-quoted do not", () => {
    expect(parseDotenv("H=db\nA=${H:-x}\nB=\"$H\"\nC='$H'", ".env")).toEqual({ H: "db", A: "db", B: "db", C: "$H" });
  });
  it("a later line redefines an earlier one, and sees its own earlier value", () => {
    expect(parseDotenv("A=1\nA=${A}2", ".env")).toEqual({ A: "12" });
  });
  it("a bare KEY without an outer environment is left out; with one, it wins over nothing but is overridden later", () => {
    expect(parseDotenv("K\n", ".env")).toStrictEqual({});
    expect(Object.keys(parseDotenv("K\nJ=1", ".env", () => undefined))).toEqual(["J"]);
    expect(parseDotenv("K\nK=own", ".env", (n) => (n === "K" ? "outer" : undefined))).toEqual({ K: "own" });
    expect(parseDotenv("K", ".env", () => "")).toEqual({ K: "" });
  });
  it("a multi-line quoted value keeps its newlines, and later line numbers stay right", () => {
    const text = "A=\"one\ntwo\nthree\"\nB='x\ny'\nC=${";
    expect(thrown(() => parseDotenv(text, ".env")).where).toBe(".env:6:1");
    expect(parseDotenv("A=\"one\ntwo\"\nB='x\ny'", ".env")).toEqual({ A: "one\ntwo", B: "x\ny" });
  });
  it("an escaped quote does not close a double-quoted value, but does end a single-quoted one", () => {
    expect(parseDotenv('A="a\\"b"', ".env")).toEqual({ A: 'a"b' });
    expect(parseDotenv("A='a\\'b", ".env")).toEqual({ A: "a\\" });
  });
  it("empty values: A=, A='', A=\"\"", () => {
    expect(parseDotenv("A=\nB=''\nC=\"\"", ".env")).toEqual({ A: "", B: "", C: "" });
  });
});

describe("what a wrong line reports", () => {
  it("an unterminated quote: message, where at the opening line, hint naming the key, no value", () => {
    const e = thrown(() => parseDotenv("A=1\nSECRET='hunter2\nB=2\n", ".env"));
    expect(e.message).toBe("unterminated ' quote in .env");
    expect(e.where).toBe(".env:2:1");
    expect(e.hint).toBe("close the value of SECRET with '");
    expect(e.exitCode).toBe(2);
    expect(JSON.stringify(e)).not.toContain("hunter2");
  });
  it("a line without a name is not KEY=VALUE", () => {
    const e = thrown(() => parseDotenv("A=1\n=x", ".env"));
    expect(e.message).toBe("malformed line 2 in .env: not KEY=VALUE");
    expect(e.where).toBe(".env:2:1");
    expect(e.hint).toBe("write KEY=VALUE (names are letters, digits and '_', not starting with a digit)");
  });
  it("a line starting with = has no name, whatever follows", () => {
    expect(thrown(() => parseDotenv("=a=b", ".env")).message).toBe("malformed line 1 in .env: not KEY=VALUE");
  });
  it("a bad name before spaced = or after several spaces of export is still named", () => {
    expect(thrown(() => parseDotenv("1KEY = v", ".env")).message).toBe('malformed line 1 in .env: "1KEY" is not a variable name');
    expect(thrown(() => parseDotenv("export  1A=v", ".env")).message).toBe('malformed line 1 in .env: "1A" is not a variable name');
  });
  it("a bad name is quoted, at most 40 characters of it", () => {
    const long = `9${"x".repeat(60)}`;
    expect(thrown(() => parseDotenv(`${long}=v`, ".env")).message).toBe(`malformed line 1 in .env: "${long.slice(0, 40)}" is not a variable name`);
    expect(thrown(() => parseDotenv("export 1A=v", ".env")).message).toBe('malformed line 1 in .env: "1A" is not a variable name');
  });
  it("YAML-style KEY: value", () => {
    const e = thrown(() => parseDotenv("DB: postgres", "app.env"));
    expect(e.message).toBe('malformed line 1 in app.env: DB is followed by ":", not "="');
    expect(e.hint).toBe('write DB=VALUE (".env" files are not YAML)');
  });
  it("KEY value with a space", () => {
    const e = thrown(() => parseDotenv("NAME my app", ".env"));
    expect(e.message).toBe('malformed line 1 in .env: NAME is followed by more text, not "="');
    expect(e.hint).toBe('write NAME=VALUE (quote values that contain spaces: KEY="a b")');
  });
  it("a bad interpolation names the file, the key and the problem, with the interpolation hint", () => {
    const e = thrown(() => parseDotenv("\nURL=${DB_URL:?set the database URL}", ".env"));
    expect(e.message).toBe(".env: the value of URL: set the database URL");
    expect(e.where).toBe(".env:2:1");
    expect(e.hint).toBe("set DB_URL in the environment or earlier in the file");
    expect(thrown(() => parseDotenv('X="${A"', ".env")).message).toBe('.env: the value of X: unclosed "${" in ${A: no matching "}"');
  });
});

describe("readDotenvFile", () => {
  const dir = mkdtempSync(join(tmpdir(), "devenv-dotenv-"));
  it("reads a file, the outer environment filling bare keys", () => {
    const f = join(dir, "a.env");
    writeFileSync(f, "A=1\nB\n");
    expect(readDotenvFile(f, (n) => (n === "B" ? "b" : undefined))).toEqual({ A: "1", B: "b" });
  });
  it("a missing optional file is empty; a missing required one is an error naming it", () => {
    expect(readDotenvFile(join(dir, "none.env"), undefined, true)).toEqual({});
    expect(thrown(() => readDotenvFile(join(dir, "none.env"))).message).toMatch(/^env file not found: .*none\.env$/);
  });
  it("an optional file that exists but is wrong is still an error", () => {
    const f = join(dir, "bad.env");
    writeFileSync(f, "KEY value\n");
    expect(thrown(() => readDotenvFile(f, undefined, true)).message).toMatch(/KEY is followed by more text/);
  });
});

// `.env` lines as people write them, read the way Compose reads them.
import { describe, expect, it } from "vitest";
import { parseDotenv } from "../../../src/files/dotenv.js";

const outer = (vars: Record<string, string>) => (n: string) => vars[n];

describe("parseDotenv", () => {
  it("a bare KEY takes its value from the environment, or is left out", () => {
    expect(parseDotenv("TOKEN\nexport REGION\nMISSING\n", ".env", outer({ TOKEN: "t0k", REGION: "eu" }))).toEqual({ TOKEN: "t0k", REGION: "eu" });
  });
  it("escaped quotes and backslashes inside double quotes", () => {
    expect(parseDotenv('MSG="say \\"hi\\" \\\\ bye"', ".env")).toEqual({ MSG: 'say "hi" \\ bye' });
    expect(parseDotenv('T="a\\tb\\rc"', ".env")).toEqual({ T: "a\tb\rc" });
  });
  it("an escaped $ in double quotes stays a literal $", () => {
    expect(parseDotenv('A=x\nP="\\$A costs \\$5"', ".env")).toEqual({ A: "x", P: "$A costs $5" });
  });
  it("single quotes are literal: no escapes, no interpolation", () => {
    expect(parseDotenv("A=x\nS='\\n ${A} \\'", ".env")).toEqual({ A: "x", S: "\\n ${A} \\" });
  });
  it("an unterminated quote is an error naming the file, line and key, not the value", () => {
    const read = () => parseDotenv('OK=1\nPASSWORD="s3cret\nNEXT=2', "/tmp/app.env");
    expect(read).toThrow(expect.objectContaining({ message: expect.stringContaining('unterminated " quote'), where: expect.stringMatching(/app\.env:2:1$/) }));
    expect(read).toThrow(expect.objectContaining({ hint: expect.stringContaining("PASSWORD") }));
    expect(read).not.toThrow(/s3cret/);
    expect(() => parseDotenv("K='abc", ".env")).toThrow(/unterminated ' quote/);
  });
  it("unquoted values are trimmed and a ' #' starts a comment, a '#' inside does not", () => {
    expect(parseDotenv("A =  v1   # note\nB=a#b\nC=", ".env")).toEqual({ A: "v1", B: "a#b", C: "" });
  });
  it("CRLF line endings and indented lines", () => {
    expect(parseDotenv("A=1\r\n  B=2\r\n\t# c\r\n", ".env")).toEqual({ A: "1", B: "2" });
  });
  it("later lines see earlier ones, which win over the environment", () => {
    expect(parseDotenv("HOST=db\nURL=pg://${HOST}/${NAME}", ".env", outer({ HOST: "outer", NAME: "app" }))).toEqual({ HOST: "db", URL: "pg://db/app" });
  });
  it("malformed lines say what is wrong", () => {
    expect(() => parseDotenv("KEY: value", ".env")).toThrow(/KEY is followed by ":"/);
    expect(() => parseDotenv("KEY value", ".env")).toThrow(/KEY is followed by more text/);
    expect(() => parseDotenv("1KEY=v", ".env")).toThrow(/"1KEY" is not a variable name/);
    expect(() => parseDotenv("KEY=${", ".env")).toThrow(/the value of KEY/);
  });
});

import { describe, expect, it } from "vitest";
import { interpolate, InterpolationError } from "../../../src/files/interpolate.js";
import { parseDotenv } from "../../../src/files/dotenv.js";

const env: Record<string, string> = { A: "a", EMPTY: "", N: "5" };
const lookup = (n: string) => env[n];

describe("interpolate", () => {
  it.each([
    ["${A}", "a"],
    ["$A-x", "a-x"],
    ["${MISSING:-d}", "d"],
    ["${EMPTY:-d}", "d"],
    ["${EMPTY-d}", ""],
    ["${MISSING-d}", "d"],
    ["${A:+alt}", "alt"],
    ["${MISSING:+alt}", ""],
    ["${MISSING:-${A}}", "a"],
    ["$$A and $${A}", "$A and ${A}"],
    ["cost $", "cost $"],
    ["postgres://u:${N}@db/${MISSING:-app}", "postgres://u:5@db/app"],
  ])("%s → %s", (input, want) => {
    expect(interpolate(input, lookup)).toBe(want);
  });

  it("reports unset variables without default", () => {
    const missing: string[] = [];
    expect(interpolate("x${NOPE}y", lookup, (n) => missing.push(n))).toBe("xy");
    expect(missing).toEqual(["NOPE"]);
  });

  it("throws on :? and ? with the variable and message", () => {
    expect(() => interpolate("${NOPE:?set NOPE please}", lookup)).toThrow(InterpolationError);
    expect(() => interpolate("${EMPTY:?}", lookup)).toThrow(expect.objectContaining({ variable: "EMPTY", message: expect.stringMatching(/EMPTY is missing or empty/) }));
    expect(interpolate("${EMPTY?boom}", lookup)).toBe("");
  });
});

describe("parseDotenv", () => {
  it("reads quotes, comments, export and references", () => {
    const text = ["# comment", "export A=1", "B='lit $A'", 'C="x\\ny ${A}"', "D=plain # comment", "E = ${B}-${OUT}", "", 'F="multi', 'line"'].join("\n");
    expect(parseDotenv(text, ".env", (n) => (n === "OUT" ? "o" : undefined))).toEqual({ A: "1", B: "lit $A", C: "x\ny 1", D: "plain", E: "lit $A-o", F: "multi\nline" });
  });

  it("names the line of a malformed entry", () => {
    expect(() => parseDotenv("OK=1\n=bad", "/tmp/x.env")).toThrow(expect.objectContaining({ where: expect.stringMatching(/x\.env:2:1$/) }));
  });
});

// Interpolation mistakes people make in compose files, and the operators used less often.
import { describe, expect, it } from "vitest";
import { interpolate, interpolateTree, InterpolationError } from "../../../src/files/interpolate.js";

const vars: Record<string, string> = { A: "a", EMPTY: "" };
const lookup = (n: string) => vars[n];

describe("interpolate, less common forms", () => {
  it.each([
    ["${A+alt}", "alt"],
    ["${EMPTY+alt}", "alt"],
    ["${EMPTY:+alt}", ""],
    ["${MISSING+alt}", ""],
    ["${MISSING:-${EMPTY:-${A}}}", "a"],
    ["${MISSING:-a$$b}", "a$b"],
    ["${MISSING:-{x}}", "{x}"],
    ["$1 and $-", "$1 and $-"],
    ["x$", "x$"],
  ])("%s → %s", (input, want) => expect(interpolate(input, lookup)).toBe(want));

  it("an unclosed ${ names the variable and is a syntax error", () => {
    expect(() => interpolate("pg://${HOST", lookup)).toThrow(expect.objectContaining({ kind: "syntax", variable: "HOST", message: 'unclosed "${" in ${HOST: no matching "}"' }));
    expect(() => interpolate("${", lookup)).toThrow(expect.objectContaining({ kind: "syntax", message: 'unclosed "${": no matching "}"' }));
  });
  it("a name that does not start with a letter, or a wrong operator, is a syntax error with a hint", () => {
    expect(() => interpolate("${1X}", lookup)).toThrow(expect.objectContaining({ kind: "syntax", variable: "" }));
    const bad = (() => {
      try {
        interpolate("${A*x}", lookup);
      } catch (e) {
        return e as InterpolationError;
      }
      throw new Error("expected a syntax error");
    })();
    expect(bad).toMatchObject({ kind: "syntax", variable: "A" });
    expect(bad.message).toContain("${A...}");
    expect(bad.hint).toBe('write ${A} (or ${A:-default}); a literal "$" is written "$$"');
  });
  it("?: the message given, else which variable is missing; `?` accepts an empty value", () => {
    expect(() => interpolate("${MISSING?}", lookup)).toThrow("required variable MISSING is missing");
    expect(() => interpolate("${MISSING:?set it}", lookup)).toThrow(expect.objectContaining({ kind: "required", message: "set it", hint: "set MISSING in the environment or earlier in the file" }));
    expect(interpolate("${A:?x}", lookup)).toBe("a");
  });
  it("missing is told only about variables without a default", () => {
    const seen: string[] = [];
    interpolate("$X ${Y} ${Z:-d} ${W-d} ${A}", lookup, (n) => seen.push(n));
    expect(seen).toEqual(["X", "Y"]);
  });
});

describe("interpolateTree", () => {
  it("interpolates strings at any depth, keeps keys and other values", () => {
    expect(interpolateTree({ "${A}": ["${A}", 1, true, null, { k: "$A" }] }, lookup, () => {
      throw new Error("no error expected");
    })).toEqual({ "${A}": ["a", 1, true, null, { k: "a" }] });
  });
  it("reports the path of a failing string", () => {
    const paths: (string | number)[][] = [];
    expect(() =>
      interpolateTree({ services: { api: { environment: ["OK=1", "X=${NOPE:?}"] } } }, lookup, (e, path) => {
        paths.push(path);
        throw e;
      }),
    ).toThrow(InterpolationError);
    expect(paths).toEqual([["services", "api", "environment", 1]]);
  });
});

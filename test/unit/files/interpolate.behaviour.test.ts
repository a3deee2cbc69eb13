// Compose interpolation as users write it: literal `$$` inside defaults, required variables
// with their own message, which variables `devenv` warns about as unset, and the hint printed.
import { describe, expect, it } from "vitest";
import { interpolate, interpolateTree, InterpolationError } from "../../../src/files/interpolate.js";

const vars: Record<string, string> = { A: "a", EMPTY: "", HOST: "db", PORT_1: "5432" };
const lookup = (n: string) => vars[n];
const error = (f: () => unknown): InterpolationError => {
  try {
    f();
  } catch (e) {
    if (e instanceof InterpolationError) return e;
    throw e;
  }
  throw new Error("expected an InterpolationError");
};

describe("names and literal dollars", () => {
  it.each([
    ["$PORT_1/x", "5432/x"],
    ["$A.b", "a.b"],
    ["${HOST}:${PORT_1}", "db:5432"],
    ["$EMPTY|", "|"],
    ["$$$A", "$a"],
    ["${MISSING:-$$}", "$"],
    ["${MISSING:-$${A}}", "${A}"],
    ["${A:+$$HOME}", "$HOME"],
    ["a}b", "a}b"],
    ["${MISSING:-x}}", "x}"],
    ["$", "$"],
    ["${MISSING:-$${}", "${"],
    ["${MISSING:-{}", "{"],
    ["${MISSING:-$}", "$"],
    ["a$NOPE", "a"],
    ["", ""],
  ])("%s → %s", (input, want) => expect(interpolate(input, lookup)).toBe(want));
});

describe("set, empty and unset", () => {
  it("`:-` and `-` differ only for an empty value", () => {
    expect(interpolate("${EMPTY:-d}|${EMPTY-d}|${A:-d}|${A-d}", lookup)).toBe("d||a|a");
  });
  it("`:+` and `+` differ only for an empty value", () => {
    expect(interpolate("${EMPTY:+x}|${EMPTY+x}|${A:+x}|${A+x}|${NO:+x}|${NO+x}", lookup)).toBe("|x|x|x||");
  });
  it("`:?` fails on empty, `?` only on unset; the user's message is interpolated", () => {
    expect(error(() => interpolate("${EMPTY:?}", lookup))).toMatchObject({ variable: "EMPTY", kind: "required", message: "required variable EMPTY is missing or empty" });
    expect(error(() => interpolate("${NO?}", lookup))).toMatchObject({ variable: "NO", kind: "required", message: "required variable NO is missing" });
    expect(error(() => interpolate("${NO:?ask $HOST's admin}", lookup)).message).toBe("ask db's admin");
    expect(interpolate("${EMPTY?x}|${A?x}|${A:?x}", lookup)).toBe("|a|a");
  });
  it("the hint for a required variable names it", () => {
    expect(error(() => interpolate("${DB_PASSWORD:?}", lookup)).hint).toBe("set DB_PASSWORD in the environment or earlier in the file");
  });
});

describe("which variables are reported as unset", () => {
  const seen = (input: string) => {
    const out: string[] = [];
    interpolate(input, lookup, (n) => out.push(n));
    return out;
  };
  it("a default given for a set variable is not looked at", () => {
    expect(seen("${A:-$X}${A-${Y}}")).toEqual([]);
  });
  it("an unset variable inside the default used is reported", () => {
    expect(seen("${NO:-$X}")).toEqual(["X"]);
    expect(seen("${NO:-${Y}}")).toEqual(["Y"]);
  });
  it("an alternative value used is looked at, one not used is not", () => {
    expect(seen("${A:+$X}")).toEqual(["X"]);
    expect(seen("${NO:+$X}")).toEqual([]);
  });
  it("each use counts, in order", () => {
    expect(seen("$B ${C} $B")).toEqual(["B", "C", "B"]);
  });
});

describe("the error itself", () => {
  it("is an InterpolationError by name, with a hint even without a variable", () => {
    const e = error(() => interpolate("${X:?}", lookup));
    expect(e.name).toBe("InterpolationError");
    expect(e).toBeInstanceOf(Error);
    expect(new InterpolationError("", "r").hint).toBe("set the variable in the environment or earlier in the file");
    expect(new InterpolationError("", "r").kind).toBe("required");
  });
});

describe("syntax errors", () => {
  it("a bad name after ${ has the generic hint", () => {
    const e = error(() => interpolate("${-x}", lookup));
    expect(e).toMatchObject({ kind: "syntax", variable: "", message: 'invalid interpolation format: a variable name after "${" must start with a letter or "_"' });
    expect(e.hint).toBe('write ${NAME} (or ${NAME:-default}); a literal "$" is written "$$"');
    expect(error(() => interpolate("${}", lookup)).kind).toBe("syntax");
  });
  it("a wrong operator lists the operators", () => {
    expect(error(() => interpolate("${A=x}", lookup)).message).toBe('invalid interpolation format in ${A...}: after the name comes "}", ":-", "-", ":?", "?", ":+" or "+"');
    expect(error(() => interpolate("${A:x}", lookup)).kind).toBe("syntax");
  });
  it("an unclosed ${ inside a default is found", () => {
    expect(error(() => interpolate("${NO:-${HOST}", lookup))).toMatchObject({ kind: "syntax", variable: "NO" });
  });
});

describe("interpolateTree", () => {
  it("a failing top-level string reports the empty path", () => {
    const paths: (string | number)[][] = [];
    expect(() =>
      interpolateTree("${NO:?}", lookup, (e, path) => {
        paths.push(path);
        throw e;
      }),
    ).toThrow("required variable NO is missing");
    expect(paths).toEqual([[]]);
  });
  it("other errors (from the lookup) pass through without onError", () => {
    let called = false;
    const boom = () => {
      throw new RangeError("lookup broke");
    };
    expect(() =>
      interpolateTree({ a: "$X" }, boom, () => {
        called = true;
        throw new Error("not this");
      }),
    ).toThrow(RangeError);
    expect(called).toBe(false);
  });
  it("unset variables anywhere in the tree reach `missing`; numbers, booleans and null are kept", () => {
    const missing: string[] = [];
    const out = interpolateTree({ a: ["$X", { b: "${Y}" }], n: 1, t: false, z: null }, lookup, (e) => {
      throw e;
    }, (n) => missing.push(n));
    expect(out).toEqual({ a: ["", { b: "" }], n: 1, t: false, z: null });
    expect(missing).toEqual(["X", "Y"]);
  });
});

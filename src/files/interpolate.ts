// Compose variable interpolation, per the Compose specification: `$VAR`, `${VAR}`,
// `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`,
// nesting inside defaults, and `$$` for a literal `$`. Pure.

export type Lookup = (name: string) => string | undefined;

/** Thrown for `:?` / `?` on a missing variable (`required`) and for a malformed `${...}`
 *  (`syntax`); the caller adds the file position. The message names the variable, never the
 *  text around it (which may hold a secret value or default). */
export class InterpolationError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
    readonly kind: "required" | "syntax" = "required",
  ) {
    super(reason);
    this.name = "InterpolationError";
  }

  /** How to fix it. */
  get hint(): string {
    if (this.kind === "required") return `set ${this.variable || "the variable"} in the environment or earlier in the file`;
    return `write \${${this.variable || "NAME"}} (or \${${this.variable || "NAME"}:-default}); a literal "$" is written "$$"`;
  }
}

/** The variable name after an unclosed `${`, for messages. */
function nameAfter(s: string): string {
  return NAME.exec(s)?.[0] ?? "";
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Interpolates one string; `missing` is told about every unset variable used without a default. */
export function interpolate(input: string, lookup: Lookup, missing?: (name: string) => void): string {
  let out = "";
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch !== "$") {
      out += ch;
      i++;
      continue;
    }
    const next = input[i + 1];
    if (next === "$") {
      out += "$";
      i += 2;
    } else if (next === "{") {
      const end = closingBrace(input, i + 2);
      if (end < 0) {
        const name = nameAfter(input.slice(i + 2));
        throw new InterpolationError(name, `unclosed "\${"${name ? ` in \${${name}` : ""}: no matching "}"`, "syntax");
      }
      out += expandBraced(input.slice(i + 2, end), lookup, missing);
      i = end + 1;
    } else {
      const m = NAME.exec(input.slice(i + 1));
      if (!m) {
        out += "$";
        i++;
        continue;
      }
      out += valueOf(m[0], lookup, missing);
      i += 1 + m[0].length;
    }
  }
  return out;
}

function valueOf(name: string, lookup: Lookup, missing?: (name: string) => void): string {
  const v = lookup(name);
  if (v === undefined) {
    missing?.(name);
    return "";
  }
  return v;
}

/** Index of the `}` closing a `${` whose body starts at `from`, honouring nested `${...}`. */
function closingBrace(s: string, from: number): number {
  let depth = 1;
  for (let i = from; i < s.length; i++) {
    if (s[i] === "$" && s[i + 1] === "$") i++;
    else if (s[i] === "$" && s[i + 1] === "{") {
      depth++;
      i++;
    } else if (s[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function expandBraced(body: string, lookup: Lookup, missing?: (name: string) => void): string {
  const m = NAME.exec(body);
  if (!m) throw new InterpolationError("", `invalid interpolation format: a variable name after "\${" must start with a letter or "_"`, "syntax");
  const name = m[0];
  const rest = body.slice(name.length);
  if (rest === "") return valueOf(name, lookup, missing);
  const op = /^(:?[-?+])/.exec(rest);
  if (!op) throw new InterpolationError(name, `invalid interpolation format in \${${name}...}: after the name comes "}", ":-", "-", ":?", "?", ":+" or "+"`, "syntax");
  const arg = () => interpolate(rest.slice(op[1]!.length), lookup, missing);
  const v = lookup(name);
  const colon = op[1]!.startsWith(":");
  const unset = v === undefined || (colon && v === "");
  switch (op[1]!.slice(-1)) {
    case "-":
      return unset ? arg() : v!;
    case "+":
      return unset ? "" : arg();
    default: {
      if (!unset) return v!;
      const msg = arg();
      throw new InterpolationError(name, msg || `required variable ${name} is ${colon ? "missing or empty" : "missing"}`);
    }
  }
}

/** Interpolates every string in a parsed YAML value (keys stay as written), reporting the path of a failure. */
export function interpolateTree(value: unknown, lookup: Lookup, onError: (e: InterpolationError, path: (string | number)[]) => never, missing?: (name: string) => void, path: (string | number)[] = []): unknown {
  if (typeof value === "string") {
    try {
      return interpolate(value, lookup, missing);
    } catch (e) {
      if (e instanceof InterpolationError) onError(e, path);
      throw e;
    }
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateTree(v, lookup, onError, missing, [...path, i]));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateTree(v, lookup, onError, missing, [...path, k]);
    return out;
  }
  return value;
}

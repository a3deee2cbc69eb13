// Small parsers for the value formats Compose uses: durations (`1m30s`), byte sizes (`512m`),
// CPU counts, and shell-style splitting of `command: "a 'b c'"`. Pure; `undefined` on bad input.

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `1m30s` → 90000, `500ms` → 500, `10` (seconds? no: Compose requires units) → undefined. */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v === "number") return v / 1e6; // a bare number is nanoseconds in the spec
  if (typeof v !== "string" || v.trim() === "") return undefined;
  let total = 0;
  let rest = v.trim();
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

const BYTE_UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/** Docker byte sizes are binary: `512m` and `512M` → 536870912. */
export function parseBytes(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(v);
  const unit = BYTE_UNITS[m?.[2]?.toLowerCase() ?? "x"];
  return m && unit !== undefined ? Math.round(Number(m[1]) * unit) : undefined;
}

/** `"0.5"` / `0.5` → 0.5. */
export function parseCpus(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** Splits a command line like a POSIX shell would (quotes and backslashes), without expansion. */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let cur = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) cur += line[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** A string or list command in list form (`undefined`/`null` stay absent). */
export function commandList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map((x) => String(x));
  return splitShellWords(String(v));
}

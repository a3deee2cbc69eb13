// `.redis` command files, pure: one command per line, quoted like redis-cli (double quotes with
// \n \t \xHH escapes, single quotes literal), `#` comment lines. Each command keeps its line.
import { DevenvError, ExitCode } from "../errors/devenv-error.js";

/** A Redis command and the file:line it came from. */
export interface RedisCommand {
  args: string[];
  file: string;
  line: number;
}

/** A seed-file input error at file:line (exit 2: the user fixes the file). */
export function fileError(message: string, file: string, line: number, col: number | undefined, hint: string): DevenvError {
  return new DevenvError(message, { where: `${file}:${line}${col ? `:${col}` : ""}`, hint, exitCode: ExitCode.usage });
}

/** Parses a `.redis` file into commands. */
export function parseRedisCommands(text: string, file: string): RedisCommand[] {
  const out: RedisCommand[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const args = splitArgs(line);
    if (typeof args === "string") throw fileError(`${file}: ${args}`, file, i + 1, undefined, "quote like redis-cli: \"double quotes\" take \\n \\t \\xHH escapes, 'single quotes' are literal");
    out.push({ args, file, line: i + 1 });
  });
  return out;
}

const escapes: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", a: "\x07" };

/** redis-cli's argument splitting; returns an error message on bad quoting. */
export function splitArgs(line: string): string[] | string {
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i]!)) i++;
    if (i >= line.length) break;
    let cur = "";
    const q = line[i];
    if (q === '"' || q === "'") {
      i++;
      for (;;) {
        if (i >= line.length) return `unbalanced ${q} quote`;
        const c = line[i]!;
        if (q === '"' && c === "\\" && i + 1 < line.length) {
          const n = line[i + 1]!;
          const hex = /^x([0-9a-fA-F]{2})/.exec(line.slice(i + 1));
          if (hex) {
            cur += String.fromCharCode(parseInt(hex[1]!, 16));
            i += 4;
          } else {
            cur += escapes[n] ?? n;
            i += 2;
          }
        } else if (q === "'" && c === "\\" && line[i + 1] === "'") {
          cur += "'";
          i += 2;
        } else if (c === q) {
          i++;
          if (i < line.length && !/\s/.test(line[i]!)) return `closing quote must be followed by a space (column ${i + 1})`;
          break;
        } else {
          cur += c;
          i++;
        }
      }
    } else {
      while (i < line.length && !/\s/.test(line[i]!)) cur += line[i++];
    }
    args.push(cur);
  }
  return args;
}

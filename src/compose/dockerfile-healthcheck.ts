// The HEALTHCHECK a Dockerfile declares (the last one wins), in compose's `test` form, so an
// image's own healthcheck is compared when the compose file does not override it.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { ComposeHealthcheck } from "./model.js";
import { parseDuration } from "./units.js";

/** Parses Dockerfile text; undefined when it declares no HEALTHCHECK. */
export function parseDockerfileHealthcheck(text: string): ComposeHealthcheck | undefined {
  const joined = text.replace(/\\\r?\n/g, " ");
  let found: ComposeHealthcheck | undefined;
  for (const line of joined.split(/\r?\n/)) {
    const m = /^\s*HEALTHCHECK\s+(.*)$/i.exec(line);
    if (!m) continue;
    let rest = m[1]!.trim();
    if (/^NONE\b/i.test(rest)) {
      found = { test: ["NONE"], disabled: true };
      continue;
    }
    const opts: Record<string, string> = {};
    for (let o = /^--([a-z-]+)=(\S+)\s+/i.exec(rest); o; o = /^--([a-z-]+)=(\S+)\s+/i.exec(rest)) {
      opts[o[1]!.toLowerCase()] = o[2]!;
      rest = rest.slice(o[0].length);
    }
    const cmd = /^CMD\s+(.*)$/i.exec(rest)?.[1]?.trim();
    if (!cmd) continue;
    const test = cmd.startsWith("[") ? ["CMD", ...(JSON.parse(cmd) as string[])] : ["CMD-SHELL", cmd];
    found = { test, intervalMs: parseDuration(opts.interval), timeoutMs: parseDuration(opts.timeout), startPeriodMs: parseDuration(opts["start-period"]), retries: opts.retries ? Number(opts.retries) : undefined, disabled: false };
  }
  return found;
}

/** Reads `context/dockerfile`; undefined when it is missing or unreadable. */
export function readDockerfileHealthcheck(context: string, dockerfile = "Dockerfile"): ComposeHealthcheck | undefined {
  const file = resolve(context, dockerfile);
  if (!existsSync(file)) return undefined;
  try {
    return parseDockerfileHealthcheck(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

// What the last successful `up --target compose` left: a key of everything `compose up` reads
// (the compose files' bytes, the env file, the shell variables they name, the override devenv
// writes, the command line's project, files and profiles) and the ids of the containers it left
// running. compose-up is skipped only when the key is the same, the containers are those very
// ones and every one is ready (read from the engine at each `up`): a change to any input, a
// container stopped, removed or recreated by hand, all run `compose up` again. Kept in
// .devenv/compose.<project>.stamp.json (0600); `up` removes it before it starts compose, so an
// interrupted run leaves none.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import type { LoadedEnv } from "../config/load.js";
import { readStateJsonSync, stateDirOf, writeStateFileSync } from "../files/state-dir.js";
import { composeProjectName } from "./project-name.js";

export interface UpStamp {
  /** The key of the inputs (see inputsKey). */
  config: string;
  /** The project's container ids, sorted. */
  containers: string[];
}

const name = (env: LoadedEnv) => `compose.${composeProjectName(env)}.stamp.json`;

/** Shell variables a compose file or env file names (`$X`, `${X}`, `${X:-d}`...). Pure. */
export function referencedVariables(texts: string[]): string[] {
  const out = new Set<string>();
  for (const t of texts) for (const m of t.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) out.add(m[1]!);
  return [...out].sort();
}

/** The key of everything `compose up` reads besides the engine. Reads the files; changes nothing. */
export function inputsKey(env: LoadedEnv, args: string[], overrideText: string, shell: Record<string, string | undefined> = process.env): string {
  const c = env.config.compose!;
  const files = c.files.map((f) => resolve(env.root, f));
  // Without an env file compose reads `.env` beside the first file.
  const envFile = c.envFile ? resolve(env.root, c.envFile) : join(resolve(files[0]!, ".."), ".env");
  const read = (p: string) => (existsSync(p) ? readFileSync(p, "utf8") : "");
  const texts = [...files.map(read), read(envFile)];
  const vars = referencedVariables(texts).map((v) => [v, shell[v] ?? null]);
  // COMPOSE_* variables change what compose does (profiles, project, file list) without being named.
  const composeVars = Object.keys(shell).filter((k) => k.startsWith("COMPOSE_") || k.startsWith("DOCKER_")).sort().map((k) => [k, shell[k]]);
  return createHash("sha256").update(JSON.stringify({ args, files: texts, envFile, vars, composeVars, overrideText })).digest("hex");
}

export function readUpStamp(env: LoadedEnv): UpStamp | undefined {
  const s = readStateJsonSync(env.root, name(env)) as UpStamp | undefined;
  return typeof s?.config === "string" && Array.isArray(s.containers) ? s : undefined;
}

/** Writes the stamp, or with none removes it. */
export function writeUpStamp(env: LoadedEnv, stamp: UpStamp | undefined): void {
  if (stamp) writeStateFileSync(env.root, name(env), `${JSON.stringify({ config: stamp.config, containers: [...stamp.containers].sort() }, null, 2)}\n`);
  else rmSync(join(stateDirOf(env.root), name(env)), { force: true });
}

/** Whether the stamp still describes the stack: same inputs key, exactly the same containers. Pure. */
export function stampHolds(stamp: UpStamp | undefined, key: string, containerIds: string[]): boolean {
  if (!stamp || stamp.config !== key) return false;
  const now = [...containerIds].sort();
  const then = [...stamp.containers].sort();
  return now.length === then.length && now.every((id, i) => id === then[i]);
}

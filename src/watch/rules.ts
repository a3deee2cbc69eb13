// The reload rules of one image, compiled from devenv.ts: what to ignore, what to sync where,
// what forces a rebuild. Reading .dockerignore is the only I/O; everything else is pure.
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import dockerignore, { type Ignore } from "@balena/dockerignore";
import type { ImageConfig, SyncRule } from "../config/schema.js";
import type { LoadedEnv } from "../config/load.js";
import { configError, type DevenvError } from "../errors/devenv-error.js";
import { readDockerignore } from "../images/context-files.js";

// The package is CommonJS (`module.exports = factory`) but its types declare a default export.
const ignore = ((dockerignore as unknown as { default?: unknown }).default ?? dockerignore) as unknown as (opts?: { ignorecase?: boolean }) => Ignore;

/** Always ignored, whatever .dockerignore says: VCS metadata, installed dependencies, devenv's own state. */
export const ALWAYS_IGNORED = [".git", "**/.git", "node_modules", "**/node_modules", ".devenv", "**/.devenv"];

export type AfterSync = ImageConfig["afterSync"];

/** Everything the planner needs to know about one image. */
export interface ReloadRules {
  /** Key in devenv.ts `images`. */
  image: string;
  /** Absolute build context directory. */
  contextDir: string;
  /** Dockerfile path relative to the context (posix). */
  dockerfile: string;
  sync: SyncRule[];
  afterSync: AfterSync;
  /** Paths (relative to the context) never synced nor rebuilt for. */
  ignored: Ignore;
  /** Paths whose change forces a rebuild; undefined: everything not synced. */
  rebuildOn?: Ignore;
}

/** Compiles the rules of images[name], reading the context's .dockerignore. */
export async function loadRules(env: LoadedEnv, name: string): Promise<ReloadRules> {
  const img = env.config.images[name];
  return compileRules(env, name, img ? await readDockerignore(resolve(env.root, img.context)) : []);
}

/** Compiles the rules of images[name] given the .dockerignore patterns. Pure. */
export function compileRules(env: LoadedEnv, name: string, dockerignorePatterns: string[]): ReloadRules {
  const img = env.config.images[name];
  if (!img) throw configError(`unknown image "${name}"`, "images", `images in devenv.ts: ${Object.keys(env.config.images).join(", ")}`);
  const contextDir = resolve(env.root, img.context);
  return {
    image: name,
    contextDir,
    dockerfile: toPosix(img.dockerfile).replace(/^\.\//, ""),
    sync: img.sync.map((r) => ({ from: normalizeFrom(r.from), to: r.to.replace(/\/+$/, "") || "/" })),
    afterSync: img.afterSync,
    ignored: ignore({ ignorecase: false }).add([...ALWAYS_IGNORED, ...dockerignorePatterns, ...env.config.watch.ignore]),
    rebuildOn: img.rebuildOn ? ignore({ ignorecase: false }).add(img.rebuildOn) : undefined,
  };
}

/** Sync rules whose source is missing: one clear error each; the other rules keep working. */
export function missingSources(rules: ReloadRules): { rule: SyncRule; error: DevenvError }[] {
  return rules.sync.flatMap((rule, i) => {
    const abs = join(rules.contextDir, rule.from);
    if (existsSync(abs)) return [];
    return [{ rule, error: configError(`sync source "${rule.from}" does not exist in ${rules.contextDir}`, `images.${rules.image}.sync[${i}].from`, "create it, or fix the path (it is relative to the image's build context); the other rules keep syncing") }];
  });
}

/** Whether the source of a rule is a directory (a missing source counts as one). */
export function isDirSource(rules: ReloadRules, rule: SyncRule): boolean {
  const abs = join(rules.contextDir, rule.from);
  return !existsSync(abs) || statSync(abs).isDirectory();
}

/** `./src/` → `src`, `.` and `./` → `.`. */
function normalizeFrom(from: string): string {
  const p = toPosix(from).replace(/^(\.\/)+/, "").replace(/\/+$/, "");
  return p === "" || p === "." ? "." : p;
}

export function toPosix(p: string): string {
  return p.split("\\").join("/");
}

// Loads devenv.ts (or .js/.mjs) with tsx, validates it with zod, then checks what zod cannot:
// paths that must exist, names that must be unique. Every failure is one DevenvError naming
// the field and the file:line where it is written.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ZodIssue } from "zod";
import { configError, DevenvError, ExitCode } from "../errors/devenv-error.js";
import { debugFor } from "../debug/index.js";
import { envSchema, type EnvConfig } from "./schema.js";
import { locatePath } from "./locate.js";
import { semanticIssues } from "./validate.js";
import { parseOverrides } from "./overrides.js";
import { installSelfResolve, selfEntry } from "./self-resolve.js";
import { compileEnvFile, moduleUrl } from "./compile.js";
import type { Message } from "esbuild";

const log = debugFor("config");

export interface LoadedEnv {
  /** The validated config, defaults filled. */
  config: EnvConfig;
  /** Absolute path of the devenv.ts file. */
  file: string;
  /** Directory that relative paths in the config are resolved against. */
  root: string;
  /** Namespace: `config.namespace` or the environment name. */
  namespace: string;
}

/** `self`: the entry devenv.ts's import of devenv resolves to (tests pass a compiled one). */
export async function loadEnv(file = "devenv.ts", cwd = process.cwd(), self = selfEntry()): Promise<LoadedEnv> {
  const abs = resolve(cwd, file);
  if (!existsSync(abs)) {
    throw configError(`environment file not found: ${relative(cwd, abs) || abs}`, undefined, "run `devenv init` to write one, or pass --env <file>");
  }
  if (statSync(abs).isDirectory()) {
    throw configError(`--env ${file} is a directory: name the devenv.ts file`, abs, `pass the file itself, e.g. --env ${join(relative(cwd, abs) || ".", "devenv.ts")}`);
  }
  const source = readFileSync(abs, "utf8");
  const compiled = /\.[cm]?[jt]s$/i.test(abs) ? await compileEnvFile(abs, source, self) : { warnings: [], viaTsx: "not a script" };
  rejectDuplicateKeys(compiled.warnings, abs);
  const raw = (compiled.code !== undefined && (await importCompiled(compiled.code))) || (log(`devenv.ts through tsx: ${compiled.viaTsx}`), await importEnvFile(abs));
  return validateEnv(raw.value, abs, source);
}

/** The default export of the compiled file, imported as plain JavaScript; undefined when it has
 *  none or throws: tsx then loads the file again, and reports that at its line. */
async function importCompiled(code: string): Promise<{ value: unknown } | undefined> {
  try {
    process.setSourceMapsEnabled(true);
    const value = ((await import(moduleUrl(code))) as Record<string, unknown>).default;
    log("devenv.ts compiled in-process (no tsx)");
    return value === undefined ? undefined : { value };
  } catch {
    log("devenv.ts: the compiled form threw; loading it through tsx, which reports where");
    return undefined;
  }
}

async function importEnvFile(abs: string): Promise<{ value: unknown }> {
  try {
    installSelfResolve();
    // So that a throw at import is reported at its line in devenv.ts, not in tsx's compiled output.
    process.setSourceMapsEnabled(true);
    const { tsImport } = await import("tsx/esm/api");
    const mod = (await tsImport(pathToFileURL(abs).href, import.meta.url)) as Record<string, unknown>;
    // A devenv.ts outside an ESM package is compiled to CommonJS: its exports object (marked
    // __esModule) arrives as `default`, and the real default export sits one level down.
    const cjs = mod.default as { __esModule?: boolean; default?: unknown } | undefined;
    const value = cjs && typeof cjs === "object" && cjs.__esModule ? cjs.default : mod.default;
    if (value === undefined) {
      throw configError("devenv.ts has no default export", abs, "end it with `export default defineEnv({ ... })`");
    }
    return { value };
  } catch (e) {
    if (e instanceof Error && e.name === "DevenvError") throw e;
    throw loadError(e, abs);
  }
}

/** An object literal that names a key twice keeps only the last (`images: { api, api }` builds one
 *  image): esbuild, which tsx compiles with, warns about it; devenv refuses it at file:line. */
function rejectDuplicateKeys(warnings: Message[], abs: string): void {
  const dup = warnings.find((w) => w.id === "duplicate-object-key" && w.location);
  if (!dup?.location) return;
  const first = dup.notes[0]?.location;
  throw configError(
    `${dup.text}${first ? ` (first at line ${first.line})` : ""}: JavaScript keeps only the last one, silently dropping the first`,
    `${abs}:${dup.location.line}:${dup.location.column + 1}`,
    "give each entry its own name, or merge the two into one",
  );
}

/** Why devenv.ts could not be imported: esbuild's reason for a syntax error, the frame in the
 *  file for a throw at import, a pointer to TypeScript for a .json/.yaml file. */
function loadError(e: unknown, abs: string): DevenvError {
  if (/\.(ya?ml|json)$/i.test(abs)) {
    return configError(`cannot load ${abs}: ${firstLine(e)}`, abs, "the environment file is TypeScript, not data: write devenv.ts with `export default defineEnv({ ... })` (`devenv init` writes a starter), and pass it with --env", e);
  }
  const msg = e instanceof Error ? e.message : String(e);
  // esbuild: "Transform failed with 1 error:\n<file>:3:0: ERROR: Expected ..."; the reason is below the first line.
  const syntax = /^(.*?):(\d+):(\d+):\s*ERROR:\s*(.*)$/m.exec(msg);
  if (syntax) {
    return configError(`cannot load ${abs}: syntax error: ${syntax[4]}`, `${abs}:${syntax[2]}:${Number(syntax[3]) + 1}`, "fix the syntax at that line; `npx tsc --noEmit` shows every TypeScript error", e);
  }
  if (/Cannot find (module|package) '(devenv|devenv-k8s)[/']/.test(msg)) {
    return configError(`cannot load ${abs}: ${firstLine(e)}`, abs, 'import it as `import { defineEnv } from "devenv-k8s"`; devenv resolves that import itself', e);
  }
  const frame = e instanceof Error && e.stack ? thrownAt(e.stack, abs) : undefined;
  return configError(`cannot load ${abs}: ${frame ? "it threw at import: " : ""}${firstLine(e)}`, frame ?? abs, frame ? `the error above was thrown while the file ran${frame === abs ? "" : ", at that line"}` : "fix the error above; `npx tsc --noEmit` shows every TypeScript error", e);
}

/** The first stack frame in the env file (tsx maps ESM frames back to the source), as file:line:col. */
function thrownAt(stack: string, abs: string): string | undefined {
  for (const line of stack.split("\n").slice(1)) {
    const m = /\(?(?:file:\/\/)?([^()\s?]+)(?:\?[^:()\s]*)?:(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (m && m[1] === abs) return `${abs}:${m[2]}:${m[3]}`;
    if (/data:text\/javascript/.test(line) && line.includes(encodeURIComponent(abs))) return abs;
  }
  return undefined;
}

/** Validates an already-imported config object; exported for tests. */
export function validateEnv(raw: unknown, file: string, source: string): LoadedEnv {
  const where = (path: (string | number)[]) => {
    const pos = locatePath(source, path);
    const dotted = path.join(".");
    return pos ? `${file}:${pos.line}:${pos.col} (${dotted})` : `${file} (${dotted || "top level"})`;
  };
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw configError(describeIssue(issue), where(issue.path), hintFor(issue));
  }
  const config = parsed.data;
  config.imageOverrides = { ...config.imageOverrides, ...parseOverrides(process.env.DEVENV_IMAGE_OVERRIDES) };
  const root = dirname(file);
  const problems = semanticIssues(config, root);
  if (problems.length > 0) {
    // Every problem at once: the first as the message, the others (with where and how to fix) below it.
    const [p, ...more] = problems as [(typeof problems)[number], ...typeof problems];
    const message = more.length ? `${p.message} (and ${more.length} more problem${more.length > 1 ? "s" : ""}, below)` : p.message;
    const details = more.length ? more.map((q) => `${q.message}\n  at ${where(q.path)}${q.hint ? `\n  hint: ${q.hint}` : ""}`).join("\n") : undefined;
    throw new DevenvError(message, { where: where(p.path), hint: p.hint, exitCode: ExitCode.usage, ...(details ? { details } : {}) });
  }
  return { config, file, root, namespace: config.namespace ?? config.name };
}

function describeIssue(issue: ZodIssue): string {
  const field = issue.path.join(".") || "the environment";
  switch (issue.code) {
    case "invalid_type":
      return issue.received === "undefined" ? `${field} is required` : `${field} must be ${issue.expected}, not ${issue.received}`;
    case "unrecognized_keys":
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")} in ${field}`;
    case "invalid_enum_value":
      return `${field} is "${String(issue.received)}", expected one of: ${issue.options.map((o) => `"${String(o)}"`).join(", ")}`;
    case "invalid_union":
      return `${field} has none of the accepted shapes`;
    default:
      return `${field}: ${issue.message}`;
  }
}

function hintFor(issue: ZodIssue): string | undefined {
  if (issue.code === "unrecognized_keys") return "check the spelling; every field is listed in src/config/schema.ts and the README";
  if (issue.code === "invalid_union") return "see the field's accepted forms in the README (Environment definition)";
  if (issue.path[0] === "cluster" && issue.path[1] === "provider") return 'use "kind", "k3d", or "existing" with cluster.context';
  return undefined;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split("\n")[0]!;
}

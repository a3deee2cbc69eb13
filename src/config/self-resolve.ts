// Makes `import { defineEnv } from "devenv-k8s"` (and the old "devenv") in a devenv.ts resolve to
// the RUNNING devenv, wherever the file lives: a repo without node_modules, a CommonJS package, a
// project with its own tsconfig. Two hooks, installed once before the file is imported: a
// `module.register` resolve hook for ESM imports, and a wrapper of the CommonJS resolver for the
// `require` that tsx compiles an import to outside an ESM package.
import { existsSync } from "node:fs";
import Module, { register } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The specifiers devenv.ts files import the package by: its npm name, and the name it had before. */
export const PACKAGE_SPECIFIERS = ["devenv-k8s", "devenv"] as const;

/** This package's entry: dist/index.js when built, src/index.ts when run from source. */
export function selfEntry(): string {
  for (const rel of ["../index.js", "../index.ts"]) {
    const file = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(file)) return file;
  }
  return fileURLToPath(new URL("../index.js", import.meta.url));
}

// The ESM hook runs in the loader thread, so it is plain JavaScript passed as a data: URL, with
// the names and the target as its initialisation data.
const HOOK = `
let names = new Set(), target = "";
export function initialize(data) { names = new Set(data.names); target = data.target; }
export async function resolve(specifier, context, next) {
  if (!names.has(specifier)) return next(specifier, context);
  // Run from source, the target is TypeScript: keep the importer's query (tsx's namespace) so
  // that tsx's load hook compiles it.
  const url = new URL(target);
  if (context.parentURL) url.search = new URL(context.parentURL).search;
  return { url: url.href, format: target.endsWith(".ts") ? "module-typescript" : "module", shortCircuit: true };
}`;

let installed = false;

export function installSelfResolve(): void {
  if (installed) return;
  installed = true;
  const entry = selfEntry();
  const names = new Set<string>(PACKAGE_SPECIFIERS);
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { names: [...names], target: pathToFileURL(entry).href } });
  type Resolver = (request: string, ...rest: unknown[]) => string;
  const cjs = Module as unknown as { _resolveFilename: Resolver };
  const original = cjs._resolveFilename;
  cjs._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]) {
    return original.call(this, names.has(request) ? entry : request, ...rest);
  };
}

// Compiles devenv.ts in-process with esbuild (tsx's compiler, which the duplicate-key check runs
// anyway) so that a self-contained file is imported as plain JavaScript: no tsx, no loader hooks.
// tsx's hooks, once installed, put every later import of the process through a second thread
// (~0.3 s of a no-op `up`). A file the compiled form could run differently from tsx is left to
// tsx: one that imports anything but devenv itself and Node's built-ins (relative files, npm
// packages: their resolution and CommonJS interop are tsx's), or names its own location or
// CommonJS (`import.meta`, `__dirname`, `__filename`, `require`).
import { createRequire, isBuiltin } from "node:module";
import { pathToFileURL } from "node:url";
import type { Message, Plugin } from "esbuild";
import { PACKAGE_SPECIFIERS } from "./self-resolve.js";

export interface CompiledEnv {
  /** esbuild's warnings (a duplicate object key among them). */
  warnings: Message[];
  /** The file as one ES module importing devenv by absolute URL; absent when tsx must load it. */
  code?: string;
  /** Why tsx loads it (an import, a location or CommonJS name, a syntax error, a TypeScript devenv). */
  viaTsx?: string;
}

/** esbuild, tsx's compiler: resolved from tsx, which always ships it. */
export function tsxEsbuild(): typeof import("esbuild") {
  return createRequire(createRequire(import.meta.url).resolve("tsx"))("esbuild") as typeof import("esbuild");
}

const LOCATION_OR_CJS = /\b(import\.meta|__dirname|__filename|require)\b/;

/**
 * Compiles `source` (the text of `abs`) for an import as plain JavaScript, `devenv-k8s` (and
 * `devenv`) pointing at `selfEntry` (this package's entry, which must be JavaScript).
 */
export async function compileEnvFile(abs: string, source: string, selfEntry: string): Promise<CompiledEnv> {
  const esbuild = tsxEsbuild();
  const others: string[] = [];
  const self = pathToFileURL(selfEntry).href;
  const imports: Plugin = {
    name: "devenv-imports",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") return undefined;
        if ((PACKAGE_SPECIFIERS as readonly string[]).includes(args.path)) return { path: self, external: true };
        if (isBuiltin(args.path)) return { path: args.path.startsWith("node:") ? args.path : `node:${args.path}`, external: true };
        others.push(args.path);
        return { path: args.path, external: true };
      });
    },
  };
  let result: import("esbuild").BuildResult & { outputFiles: import("esbuild").OutputFile[] };
  try {
    result = await esbuild.build({
      stdin: { contents: source, sourcefile: abs, loader: /\.[cm]?ts$/i.test(abs) ? "ts" : "js", resolveDir: "/" },
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target: "node20",
      logLevel: "silent",
      plugins: [imports],
      // So that a stack frame points into devenv.ts, not into the compiled text.
      sourcemap: "inline",
    });
  } catch (e) {
    return { warnings: [], viaTsx: `esbuild: ${(e as Error).message.split("\n")[0]}` };
  }
  const warnings = result.warnings;
  if (!self.endsWith(".js")) return { warnings, viaTsx: "devenv runs from its TypeScript sources" };
  if (!/\.m?[jt]s$/i.test(abs)) return { warnings, viaTsx: "a CommonJS file (.cts/.cjs)" };
  if (others.length) return { warnings, viaTsx: `it imports ${others.map((o) => JSON.stringify(o)).join(", ")}` };
  const named = LOCATION_OR_CJS.exec(source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ""));
  if (named) return { warnings, viaTsx: `it names ${named[1]}` };
  return { warnings, code: result.outputFiles[0]!.text };
}

/** A compiled file as a module URL: a data: URL, so nothing is written next to the config. */
export function moduleUrl(code: string): string {
  return `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`;
}

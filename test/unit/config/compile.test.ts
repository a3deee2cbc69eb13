// devenv.ts compiled in-process (src/config/compile.ts): which files are imported as plain
// JavaScript and which are left to tsx, and that both give the same config. devenv's entry is
// compiled from src/index.ts for these tests, as the published package ships it (JavaScript).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import createDebug from "debug";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileEnvFile, moduleUrl, tsxEsbuild } from "../../../src/config/compile.js";
import { loadEnv } from "../../../src/config/load.js";
import { repoRoot } from "../../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "devenv-compile-"));
const entry = join(dir, "devenv-entry", "index.js");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await tsxEsbuild().build({ entryPoints: [join(repoRoot, "src/index.ts")], bundle: true, format: "esm", platform: "node", outfile: entry, logLevel: "silent" });
});

const HEAD = 'import { defineEnv } from "devenv-k8s";\n';
const file = (name: string, text: string) => {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, "devenv.ts"), text);
  return d;
};

describe("which devenv.ts files are compiled in-process", () => {
  it.each([
    ["devenv only", `${HEAD}export default defineEnv({ name: "a" });\n`, undefined],
    ["the old specifier, a type-only import and Node built-ins", `import { defineEnv } from "devenv";\nimport type { EnvInput } from "./types";\nimport { env } from "node:process";\nimport os from "os";\nconst e: EnvInput = { name: env.X ?? os.platform() };\nexport default defineEnv(e);\n`, undefined],
    ["top-level await", `${HEAD}const name = await Promise.resolve("a");\nexport default defineEnv({ name });\n`, undefined],
    ["a relative import (tsx resolves it)", `${HEAD}import { images } from "./images";\nexport default defineEnv({ name: "a", images });\n`, 'it imports "./images"'],
    ["an npm package (its resolution and interop are tsx's)", `${HEAD}import merge from "lodash.merge";\nexport default defineEnv(merge({ name: "a" }));\n`, 'it imports "lodash.merge"'],
    ["its own location", `${HEAD}export default defineEnv({ name: new URL(".", import.meta.url).pathname });\n`, "it names import.meta"],
    ["CommonJS names", `${HEAD}export default defineEnv({ name: __dirname });\n`, "it names __dirname"],
    ["a syntax error (tsx reports it)", `${HEAD}export default defineEnv({ name: "a" \n`, "esbuild"],
  ])("%s", async (_, text, viaTsx) => {
    const c = await compileEnvFile(join(dir, "x", "devenv.ts"), text, entry);
    if (viaTsx === undefined) {
      expect(c.viaTsx).toBeUndefined();
      expect(c.code).toContain(JSON.stringify(`file://${entry}`)); // devenv by absolute URL, no resolver needed
    } else {
      expect(c.code).toBeUndefined();
      expect(c.viaTsx).toContain(viaTsx);
    }
  });

  it("a comment that mentions require or import.meta does not send the file to tsx", async () => {
    const c = await compileEnvFile(join(dir, "y", "devenv.ts"), `${HEAD}// no require() here; import.meta neither\nexport default defineEnv({ name: "a" /* __dirname */ });\n`, entry);
    expect(c.viaTsx).toBeUndefined();
  });

  it("devenv running from its TypeScript sources leaves every file to tsx", async () => {
    const c = await compileEnvFile(join(dir, "z", "devenv.ts"), `${HEAD}export default defineEnv({ name: "a" });\n`, join(repoRoot, "src/index.ts"));
    expect(c.viaTsx).toBe("devenv runs from its TypeScript sources");
  });

  it("the compiled module imports as a data: URL, nothing written beside the config", async () => {
    const c = await compileEnvFile(join(dir, "w", "devenv.ts"), `${HEAD}export default defineEnv({ name: "w", images: {} });\n`, entry);
    expect(moduleUrl(c.code!)).toMatch(/^data:text\/javascript;base64,/);
    expect(((await import(moduleUrl(c.code!))) as { default: unknown }).default).toEqual({ name: "w", images: {} });
  });
});

/** What src/config says on its debug channel (`-v`) from now on; stops listening when read. */
function debugLines(): () => string[] {
  const lines: string[] = [];
  const before = createDebug.log;
  createDebug.enable("devenv:config");
  createDebug.log = (...args: unknown[]) => lines.push(String(args[0]).replace(/^.*devenv:config\s+/, "").replace(/\s+\+\d+m?s$/, "").trim());
  return () => {
    createDebug.disable();
    createDebug.log = before;
    return lines;
  };
}

describe("the same config either way", () => {
  it.each(["devenv.ts", "fixtures/codebeaker/devenv.ts", "test/fixtures/no-leak/devenv.ts"])("%s: compiled in-process = through tsx", async (f) => {
    const said = debugLines();
    const viaTsx = await loadEnv(f, repoRoot); // from the sources: tsx
    const compiled = await loadEnv(f, repoRoot, entry);
    expect(said()).toEqual(["devenv.ts through tsx: devenv runs from its TypeScript sources", "devenv.ts compiled in-process (no tsx)"]);
    expect(compiled).toEqual(viaTsx);
  });

  it("a file that throws at import is loaded again through tsx, which names its line", async () => {
    const root = file("throws", `${HEAD}const port = Number("x");\nif (Number.isNaN(port)) throw new Error("PORT is not a number");\nexport default defineEnv({ name: "x" });\n`);
    const e = await loadEnv("devenv.ts", root, entry).then(() => undefined, (err: unknown) => err as { message: string; where?: string });
    expect(e?.message).toMatch(/it threw at import: PORT is not a number/);
    expect(e?.where).toMatch(/throws\/devenv\.ts/);
  });

  it("a duplicate key is refused at its line on the compiled path too", async () => {
    const root = file("dup", `${HEAD}export default defineEnv({\n  name: "a",\n  name: "b",\n});\n`);
    const e = await loadEnv("devenv.ts", root, entry).then(() => undefined, (err: unknown) => err as { message: string; where?: string });
    expect(e?.message).toMatch(/Duplicate key "name" in object literal \(first at line 3\)/);
    expect(e?.where).toBe(`${join(root, "devenv.ts")}:4:3`);
  });

  it("no default export: the same error as through tsx", async () => {
    const root = file("nodefault", `${HEAD}export const env = defineEnv({ name: "a" });\n`);
    const e = await loadEnv("devenv.ts", root, entry).then(() => undefined, (err: unknown) => err as { message: string });
    expect(e?.message).toBe("devenv.ts has no default export");
  });
});

// devenv.ts outside a Node project: no node_modules, a CommonJS package, its own tsconfig. The
// import of the package (its npm name, and the old "devenv") resolves to the running devenv; load
// errors say what esbuild said, where a throw happened, and that the file is TypeScript.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadEnv } from "../../../src/config/load.js";
import { devenv } from "../../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "devenv-load-outside-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ENV = (spec: string) => `import { defineEnv } from "${spec}";\nexport default defineEnv({ name: "outside" });\n`;

function folder(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  mkdirSync(root, { recursive: true });
  for (const [f, t] of Object.entries(files)) writeFileSync(join(root, f), t);
  return root;
}

async function loadError(root: string, file = "devenv.ts") {
  try {
    await loadEnv(file, root);
  } catch (e) {
    return e as { message: string; where?: string; hint?: string };
  }
  throw new Error("expected the load to fail");
}

describe("loading devenv.ts outside a Node project", () => {
  it.each([
    ["no package.json, no node_modules", { "devenv.ts": ENV("devenv-k8s") }],
    ["an ESM package without devenv installed", { "devenv.ts": ENV("devenv-k8s"), "package.json": '{ "type": "module" }' }],
    ["a CommonJS package with its own tsconfig", { "devenv.ts": ENV("devenv-k8s"), "package.json": '{ "type": "commonjs" }', "tsconfig.json": '{ "compilerOptions": { "module": "commonjs", "baseUrl": "." } }' }],
    ["the old specifier \"devenv\"", { "devenv.ts": ENV("devenv") }],
    ["the old specifier in an ESM package", { "devenv.ts": ENV("devenv"), "package.json": '{ "type": "module" }' }],
  ])("%s", async (_, files) => {
    const root = folder(_.replace(/\W+/g, "-"), files);
    const env = await loadEnv("devenv.ts", root);
    expect(env.config.name).toBe("outside");
  });

  it("a syntax error: esbuild's reason at file:line:col", async () => {
    const root = folder("syntax", { "devenv.ts": 'import { defineEnv } from "devenv-k8s";\nexport default defineEnv({ name: "x", images: { }\n' });
    const e = await loadError(root);
    expect(e.message).toMatch(/syntax error: Expected "\}" but found end of file/);
    expect(e.message).not.toMatch(/Transform failed with 1 error:$/);
    expect(e.where).toBe(`${join(root, "devenv.ts")}:3:1`);
  });

  it("a throw at import names the file, and the line where tsx maps it (ESM)", async () => {
    const src = 'import { defineEnv } from "devenv-k8s";\nconst port = Number("x");\nif (Number.isNaN(port)) throw new Error("PORT is not a number");\nexport default defineEnv({ name: "x" });\n';
    const esm = await loadError(folder("throws-esm", { "devenv.ts": src, "package.json": '{ "type": "module" }' }));
    expect(esm.message).toMatch(/it threw at import: PORT is not a number/);
    expect(esm.where).toMatch(/throws-esm\/devenv\.ts(:\d+:\d+)?$/);
    // In the CLI (vitest replaces Node's source-mapped stacks with its own), the line is devenv.ts's.
    const r = await devenv(["up", "--dry-run"], { cwd: join(dir, "throws-esm") });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/at \S*throws-esm\/devenv\.ts:3:\d+/);
    const cjs = await loadError(folder("throws-cjs", { "devenv.ts": src }));
    expect(cjs.message).toMatch(/PORT is not a number/);
    expect(cjs.where).toMatch(/throws-cjs\/devenv\.ts/);
  });

  it(".yaml and .json environment files get a hint that devenv.ts is TypeScript", async () => {
    const root = folder("data", { "devenv.yaml": "name: x\n", "devenv.json": "{ not json" });
    for (const f of ["devenv.yaml", "devenv.json"]) {
      const e = await loadError(root, f);
      expect(e.hint).toMatch(/the environment file is TypeScript, not data: write devenv\.ts with `export default defineEnv/);
    }
  });
});

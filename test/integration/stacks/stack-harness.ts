// Shared setup of the stacks' end-to-end tests: copy a stack to a temp dir under a unique compose
// project, free host ports, build its images, JSON requests.
import { createServer } from "node:net";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoadedEnv } from "../../../src/config/load.js";
import { buildImages } from "../../../src/images/build.js";
import type { BuiltImage } from "../../../src/model/index.js";
import { repoRoot } from "../../helpers/cli.js";

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** Builds every image of the stack (content tags: unchanged ones are reused). */
export async function buildAll(env: LoadedEnv): Promise<Map<string, BuiltImage>> {
  const built = await buildImages(env, Object.keys(env.config.images));
  return new Map(built.map((b) => [b.name, b]));
}

/** GET/POST JSON against the stack. */
export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const r = await fetch(url, init);
  return { status: r.status, body: await r.json() };
}

/**
 * Copies parts of the repo (`paths`, relative to it) to a temp dir, so a test can run the CLI
 * there and edit sources without touching the committed fixtures. The copied devenv.ts gets
 * `projectName` (a unique compose project), and `import "devenv"` resolves to this checkout.
 */
export function copyStack(paths: string[], envFile: string, projectName: string): string {
  const root = mkdtempSync(join(tmpdir(), "devenv-stack-"));
  for (const p of paths) cpSync(join(repoRoot, p), join(root, p), { recursive: true, filter: (src) => !src.includes("/.devenv") });
  const file = join(root, envFile);
  const source = readFileSync(file, "utf8");
  const renamed = source.replace(/projectName: "[^"]*"/, `projectName: "${projectName}"`);
  if (renamed === source) throw new Error(`${envFile} names no compose projectName to replace`);
  writeFileSync(file, renamed);
  // An ESM project, like this repo, so devenv.ts's `import ... from "devenv"` takes the ESM export.
  writeFileSync(join(root, "package.json"), '{ "type": "module" }\n');
  mkdirSync(join(root, "node_modules"));
  symlinkSync(repoRoot, join(root, "node_modules", "devenv"), "dir");
  return root;
}

// Shared setup of the stacks' end-to-end tests: load a stack's devenv.ts with the local image
// overrides, give it a unique compose project and free host ports, build its images.
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnv, type LoadedEnv } from "../../../src/config/load.js";
import { buildImages } from "../../../src/images/build.js";
import type { BuiltImage } from "../../../src/steps/context.js";
import { repoRoot } from "../../helpers/cli.js";
import { LOCAL_OVERRIDES } from "../../helpers/docker.js";

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

/** Loads `file` (relative to the repo) under a unique compose project; ports go to process.env. */
export async function loadStack(file: string, prefix: string, portVars: string[]): Promise<{ env: LoadedEnv; ports: Record<string, number> }> {
  process.env.DEVENV_IMAGE_OVERRIDES ||= LOCAL_OVERRIDES;
  const ports: Record<string, number> = {};
  for (const v of portVars) process.env[v] = String((ports[v] = await freePort()));
  const env = await loadEnv(file, repoRoot);
  env.config.compose!.projectName = `${prefix}-${randomBytes(3).toString("hex")}`;
  return { env, ports };
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

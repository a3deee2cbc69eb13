// Shared setup of the stacks' end-to-end tests: load a stack's devenv.ts with the local image
// overrides, give it a unique compose project and free host ports, build its images.
import { createServer } from "node:net";
import { randomBytes } from "node:crypto";
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

// Builds a throwaway project for seed tests: files written into a temp dir and a LoadedEnv
// whose seeds point at the given servers through the `reach` option.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { envSchema } from "../../../src/config/schema.js";
import type { LoadedEnv } from "../../../src/config/load.js";
import type { SeedOptions } from "../../../src/seed/index.js";

export interface SeedProject {
  root: string;
  env: LoadedEnv;
  write(rel: string, content: string): void;
  remove(): void;
}

/** A temp project with `files` and the given `seeds` section. */
export function seedProject(seeds: unknown, files: Record<string, string>, extra: Record<string, unknown> = {}): SeedProject {
  const root = mkdtempSync(join(tmpdir(), "devenv-seed-"));
  const write = (rel: string, content: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), content);
  };
  for (const [rel, content] of Object.entries(files)) write(rel, content);
  const config = envSchema.parse({ name: "seedtest", seeds, ...extra });
  return { root, env: { config, file: join(root, "devenv.ts"), root, namespace: "seedtest" }, write, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Reaches every target at one host:port (a throwaway server). */
export function reachAt(host: string, port: number): NonNullable<SeedOptions["reach"]> {
  return async () => ({ host, port, label: `test server ${host}:${port}`, close: async () => undefined });
}

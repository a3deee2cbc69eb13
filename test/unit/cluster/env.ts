// Builds validated environments for cluster/addons tests without a devenv.ts on disk.
import { envSchema, type EnvInput } from "../../../src/config/schema.js";
import type { LoadedEnv } from "../../../src/config/load.js";

export function testEnv(input: Partial<EnvInput> = {}, root = "/project"): LoadedEnv {
  const config = envSchema.parse({ name: "demo", ...input });
  return { config, file: `${root}/devenv.ts`, root, namespace: config.namespace ?? config.name };
}

// The package's public surface: `defineEnv` and the types of devenv.ts.
export { defineEnv } from "./config/define.js";
export type { EnvInput, EnvConfig, ImageConfig, ClusterConfig, AddonsConfig, PostgresSeed, RedisSeed, SyncRule } from "./config/schema.js";

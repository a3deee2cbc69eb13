// The compose project an environment runs as.
import type { LoadedEnv } from "../config/load.js";

/** The compose project name as docker-compose v1 and v2 normalise it (lowercase, [a-z0-9_-]). */
export function composeProjectName(env: LoadedEnv): string {
  return (env.config.compose?.projectName ?? env.config.name).toLowerCase().replace(/[^a-z0-9_-]/g, "");
}

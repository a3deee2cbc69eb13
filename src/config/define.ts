// `defineEnv` is the identity at run time; it exists so that devenv.ts is type-checked
// and editors complete every field.
import type { EnvInput } from "./schema.js";

export function defineEnv(env: EnvInput): EnvInput {
  return env;
}

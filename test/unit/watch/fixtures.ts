// Builds a LoadedEnv with one image for the watch unit tests, defaults filled by the schema.
import { envSchema, type EnvInput } from "../../../src/config/schema.js";
import type { LoadedEnv } from "../../../src/config/load.js";

type ImageInput = NonNullable<EnvInput["images"]>[string];

export function envWith(image: Partial<ImageInput>, root = "/repo", watch: EnvInput["watch"] = {}): LoadedEnv {
  const config = envSchema.parse({ name: "demo", images: { web: { image: "demo/web", context: "web", ...image } }, watch });
  return { config, file: `${root}/devenv.ts`, root, namespace: "demo" };
}

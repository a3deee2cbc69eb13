// Image overrides: `postgres:16` → a mirror or a local image. The map comes from devenv.ts and,
// on top, from DEVENV_IMAGE_OVERRIDES (`a=b,c=d`), so CI can point at local images while
// laptops keep the real tags.
import { configError } from "../errors/devenv-error.js";

export function parseOverrides(spec: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!spec) return out;
  for (const pair of spec.split(/[,\s]+/).filter(Boolean)) {
    const [from, to, ...rest] = pair.split("=");
    if (!from || !to || rest.length > 0) {
      throw configError(`DEVENV_IMAGE_OVERRIDES has a malformed entry "${pair}"`, "DEVENV_IMAGE_OVERRIDES", "write it as from=to[,from=to...], e.g. postgres:16=devenv-local/postgres:16");
    }
    out[from] = to;
  }
  return out;
}

/** The image to use for `ref`: its override, or itself. Matches with and without `docker.io/library/`. */
export function applyOverride(ref: string, overrides: Record<string, string>): string {
  if (overrides[ref]) return overrides[ref];
  const short = ref.replace(/^docker\.io\/(library\/)?/, "");
  return overrides[short] ?? ref;
}

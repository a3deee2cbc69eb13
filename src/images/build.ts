// CONTRACT (issue #9 fills it): build one image of devenv.ts, tagged by content.
import type { LoadedEnv } from "../config/load.js";
import type { BuiltImage } from "../steps/context.js";
import { DevenvError } from "../errors/devenv-error.js";

export interface BuildOptions {
  /** Progress lines (build output). */
  onProgress?: (line: string) => void;
  /** Rebuild even when the content tag exists. */
  force?: boolean;
}

/** Builds images[name] unless its content tag already exists; returns the tag. */
export async function buildImage(_env: LoadedEnv, _name: string, _opts: BuildOptions = {}): Promise<BuiltImage> {
  throw new DevenvError("buildImage: not implemented yet", { hint: "tracked in issue #9" });
}

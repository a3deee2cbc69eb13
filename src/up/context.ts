// What the steps of `up` share. Each step fills its own slot (build-images fills `images`,
// ensure-cluster fills `cluster`, ...) and later steps read it.
import type { LoadedEnv } from "../config/load.js";
import type { BuiltImage, ClusterHandle, KubeObject, Target } from "../model/index.js";
import type { WatchHandle } from "../watch/start.js";

export interface UpContext {
  env: LoadedEnv;
  target: Target;
  dryRun: boolean;
  yes: boolean;
  verbose: boolean;
  watch: boolean;
  /** Filled by build-images. */
  images: Map<string, BuiltImage>;
  /** Filled by ensure-cluster. */
  cluster?: ClusterHandle;
  /** Filled by render-manifests. */
  objects?: KubeObject[];
  /** Filled by watch: the running hot-reload session. */
  watching?: WatchHandle;
  /** `--recreate`: objects (`statefulset/postgres`) deleted with their dependents orphaned, then applied again. */
  recreate?: string[];
  /** Log a line (stderr, above the step list). */
  log(line: string): void;
}

// What the steps of `up` share. Each seam fills its own slot (build-images fills `images`,
// ensure-cluster fills `cluster`, ...) and later steps read it.
import type { LoadedEnv } from "../config/load.js";

export type Target = "cluster" | "compose";

/** An image devenv built, tagged by content. */
export interface BuiltImage {
  /** Key in devenv.ts `images`. */
  name: string;
  /** Repository the manifests refer to, e.g. `agentforge/backend`. */
  repository: string;
  /** Content tag, e.g. `agentforge/backend:devenv-3f2a9c1d4e5b`. */
  ref: string;
  /** Image ID (sha256:...). */
  id: string;
  /** Whether this run built it (false: the tag already existed). */
  built: boolean;
}

/** The cluster `up` works on. */
export interface ClusterHandle {
  provider: "kind" | "k3d" | "existing";
  name: string;
  /** Kube context name. */
  context: string;
  /** Node container names (kind/k3d), for image loads; empty for `existing`. */
  nodes: string[];
  /** Registry as seen from the host, e.g. `localhost:5001`, when one is configured. */
  registry?: string;
}

/** A Kubernetes object as rendered from the manifests. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

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
  /** Log a line (stderr, above the step list). */
  log(line: string): void;
}

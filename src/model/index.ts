// The domain's nouns, shared by every seam: what a rendered object, a built image and a
// cluster are. Types only, on the ground floor, so compare and convert need nothing of `up`.

export type Target = "cluster" | "compose";

/** The ways to get a cluster; only src/cluster tells them apart. */
export type ProviderName = "kind" | "k3d" | "existing";

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
  provider: ProviderName;
  name: string;
  /** Kube context name. */
  context: string;
  /** Node container names (kind/k3d), for image loads; empty for `existing`. */
  nodes: string[];
  /** Registry as seen from the host, e.g. `localhost:5001`, when one is configured and answers (devenv pushes there). */
  registry?: string;
  /** The registry name devenv's built images carry in the manifests (what the nodes pull by), e.g.
   *  `localhost:5001`; set with `registry`, and also when the registry could not start and this run
   *  imports the images into the nodes under those names instead. */
  imageRegistry?: string;
  /** Server version (`v1.34.0`), once asked: load-images and install-addons pick addon releases by it. */
  kubernetesVersion?: string;
}

/** A Kubernetes object as rendered from the manifests. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}

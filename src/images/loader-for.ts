// Which loader a cluster gets; each is loaded only when asked for.
import type { ClusterHandle } from "../model/index.js";
import type { ImageLoader } from "./loader.js";

/** The loader for a cluster: its registry when it has one, else its node containers; none for a cluster without either (`existing`). */
export async function loaderFor(cluster: ClusterHandle): Promise<ImageLoader | undefined> {
  if (cluster.registry) {
    const { RegistryLoader } = await import("./registry-loader.js");
    return new RegistryLoader(cluster.registry);
  }
  if (cluster.nodes.length === 0) return undefined;
  const { NodeLoader } = await import("./node-loader.js");
  return new NodeLoader(cluster.provider, cluster.nodes);
}

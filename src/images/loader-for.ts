// Which loader a cluster gets; each is loaded only when asked for.
import { requireDocker } from "../docker/client.js";
import type { ClusterHandle } from "../model/index.js";
import type { ImageLoader, LoadImage } from "./loader.js";
import { repositoryOf } from "./refs.js";

/** The loader for a cluster: its registry when it has one (and it answers), else its node containers;
 *  none for a cluster without either (`existing`). When the registry could not start (`imageRegistry`
 *  without `registry`), the nodes import devenv's images under their registry names, which are first
 *  added to the engine as tags of the same image. */
export async function loaderFor(cluster: ClusterHandle): Promise<ImageLoader | undefined> {
  if (cluster.registry) {
    const { RegistryLoader } = await import("./registry-loader.js");
    return new RegistryLoader(cluster.registry);
  }
  if (cluster.nodes.length === 0) return undefined;
  const { NodeLoader } = await import("./node-loader.js");
  const nodes = new NodeLoader(cluster.provider, cluster.nodes);
  if (!cluster.imageRegistry) return nodes;
  const prefix = `${cluster.imageRegistry}/`;
  const tagged = async (images: LoadImage[]) => {
    const named = images.filter((i) => i.ref.startsWith(prefix));
    if (named.length) {
      const d = await requireDocker();
      for (const img of named) await d.images.tag(img.id, { repo: repositoryOf(img.ref), tag: img.ref.slice(repositoryOf(img.ref).length + 1) || "latest" });
    }
    return images;
  };
  return {
    via: nodes.via,
    targets: nodes.targets,
    missing: async (images) => nodes.missing(await tagged(images)),
    load: async (images, onProgress) => nodes.load(await tagged(images), onProgress),
  };
}

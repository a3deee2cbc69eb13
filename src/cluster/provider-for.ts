// Which provider devenv.ts asks for; each is loaded only when asked for.
import type { LoadedEnv } from "../config/load.js";
import type { ClusterProvider } from "./provider.js";

/** The provider devenv.ts asks for. */
export async function providerFor(env: Pick<LoadedEnv, "config" | "root" | "file">): Promise<ClusterProvider> {
  const { cluster } = env.config;
  switch (cluster.provider) {
    case "kind":
      return new (await import("./kind.js")).KindProvider(cluster, env.root, env.file);
    case "k3d":
      return new (await import("./k3d.js")).K3dProvider(cluster, env.root, env.file);
    case "existing":
      return new (await import("./existing.js")).ExistingProvider(cluster, env.file);
  }
}

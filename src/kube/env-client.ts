// The REST client for an environment's cluster: devenv.ts `cluster.context`, else the context
// the provider (kind/k3d) names. Used by commands that run outside `up` (status, logs).
import type { LoadedEnv } from "../config/load.js";
import { loadKubeConfig } from "./client.js";
import { KubeRest } from "./rest.js";

export async function envKubeContext(env: LoadedEnv): Promise<string> {
  if (env.config.cluster.context) return env.config.cluster.context;
  const { providerFor } = await import("../cluster/provider.js");
  return (await providerFor(env)).context;
}

export async function envRest(env: LoadedEnv): Promise<KubeRest> {
  return new KubeRest(await loadKubeConfig(await envKubeContext(env)));
}

// The REST client for an environment's cluster: devenv.ts `cluster.context`, else the context
// the provider (kind/k3d) names. Used by commands that run outside `up` (status, logs).
import type { LoadedEnv } from "../config/load.js";
import { KubeRest } from "../kube/rest.js";
import { contextOf } from "./traits.js";

export function envKubeContext(env: LoadedEnv): string | undefined {
  return contextOf(env.config.cluster);
}

export async function envRest(env: LoadedEnv): Promise<KubeRest> {
  return KubeRest.forContext(envKubeContext(env));
}

// install-addons: NFS, metrics-server and ingress, each proven by a probe.
import type { StepDefinition } from "../../runner/step.js";
import type { UpContext } from "../context.js";
import { addonOptions } from "../../addons/addon-set.js";
import { addonPlan, clusterKubernetesVersion, installAddons } from "../../addons/install.js";

/** The cluster's Kubernetes version, asked once per `up` and kept on ctx.cluster: load-images
 *  preloads the addon images of the releases install-addons then applies. */
export async function kubernetesVersionOf(ctx: UpContext): Promise<string | undefined> {
  if (!ctx.cluster) return undefined;
  ctx.cluster.kubernetesVersion ??= await clusterKubernetesVersion(ctx.env, ctx.cluster.context);
  return ctx.cluster.kubernetesVersion;
}

export const installAddonsStep: StepDefinition<UpContext> = {
  id: "install-addons",
  title: "Install addons (NFS, metrics-server, ingress)",
  plan: (ctx) => addonPlan(addonOptions(ctx.env)),
  run: async (ctx, task) => installAddons(ctx.env, ctx.cluster?.context, (l) => task.output(l), await kubernetesVersionOf(ctx)),
};

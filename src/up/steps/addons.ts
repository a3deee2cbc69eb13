// install-addons: NFS, metrics-server and ingress, each proven by a probe.
import type { StepDefinition } from "../../runner/step.js";
import type { UpContext } from "../context.js";
import { addonOptions } from "../../addons/addon-set.js";
import { addonPlan, installAddons } from "../../addons/install.js";

export const installAddonsStep: StepDefinition<UpContext> = {
  id: "install-addons",
  title: "Install addons (NFS, metrics-server, ingress)",
  plan: (ctx) => addonPlan(addonOptions(ctx.env)),
  run: (ctx, task) => installAddons(ctx.env, ctx.cluster?.context, (l) => task.output(l)),
};

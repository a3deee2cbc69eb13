// The steps of `up`, in the spirit of kind's create actions. Pure: which steps run depends
// only on the target, --watch and what devenv.ts declares.
import type { Step } from "../steps/step.js";
import type { UpContext } from "../steps/context.js";
import { buildImagesStep, loadImagesStep } from "../images/steps.js";
import { ensureClusterStep } from "../cluster/steps.js";
import { installAddonsStep } from "../addons/steps.js";
import { applyAppsStep, applyDataStep, renderManifestsStep } from "../kube/steps.js";
import { seedStep } from "../seed/steps.js";
import { composeUpStep } from "../compose/steps.js";
import { watchStep } from "../watch/steps.js";

export function upSteps(ctx: Pick<UpContext, "target" | "watch" | "env">): Step<UpContext>[] {
  const steps: Step<UpContext>[] =
    ctx.target === "compose"
      ? [buildImagesStep, composeUpStep, seedStep(["compose-up"])]
      : [ensureClusterStep, buildImagesStep, installAddonsStep, loadImagesStep, renderManifestsStep, applyDataStep, seedStep(["apply-data"]), applyAppsStep];
  if (ctx.watch) steps.push(watchStep([steps[steps.length - 1]!.id]));
  return steps;
}

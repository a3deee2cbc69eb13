// The steps of `up`, in the spirit of kind's create actions, and the one place that says what
// runs after what. Pure: which steps run depends only on the target and --watch. Each step
// starts as soon as the steps it names are done, so independent ones run concurrently.
import type { Step, StepDefinition } from "../runner/step.js";
import type { Target } from "../model/index.js";
import type { UpContext } from "./context.js";
import { ensureClusterStep } from "./steps/cluster.js";
import { buildImagesStep, loadImagesStep } from "./steps/images.js";
import { installAddonsStep } from "./steps/addons.js";
import { applyAppsStep, applyDataStep, renderManifestsStep } from "./steps/manifests.js";
import { seedStep } from "./steps/seed.js";
import { composeUpStep } from "./steps/compose.js";
import { watchStep } from "./steps/watch.js";

type Edge = [StepDefinition<UpContext>, string[]];

const CLUSTER: Edge[] = [
  [ensureClusterStep, []],
  [buildImagesStep, []], // while the cluster is created
  [renderManifestsStep, ["build-images"]], // the manifests name the built content tags
  // The third-party images to load are the ones the manifests name.
  [loadImagesStep, ["build-images", "ensure-cluster", "render-manifests"]],
  // Addon images are loaded from the host cache first: the cluster pulls nothing.
  [installAddonsStep, ["ensure-cluster", "load-images"]],
  [applyDataStep, ["render-manifests", "load-images", "install-addons"]], // PVCs need the NFS class
  [seedStep, ["apply-data"]], // the servers, their Secrets and the migration Job exist
  [applyAppsStep, ["seed"]], // the apps start on seeded data
];

const COMPOSE: Edge[] = [
  [buildImagesStep, []],
  [composeUpStep, ["build-images"]],
  [seedStep, ["compose-up"]],
];

export function upSteps(ctx: { target: Target; watch: boolean }): Step<UpContext>[] {
  const edges = ctx.target === "compose" ? COMPOSE : CLUSTER;
  const steps = edges.map(([step, after]) => ({ ...step, after }));
  // The watch starts once everything else is up.
  if (ctx.watch) steps.push({ ...watchStep, after: [steps[steps.length - 1]!.id] });
  return steps;
}

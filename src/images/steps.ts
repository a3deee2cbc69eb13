// Steps of `up` that build images and load them into the cluster (issue #9).
import { pendingStep, type Step } from "../steps/step.js";
import type { UpContext } from "../steps/context.js";

export const buildImagesStep: Step<UpContext> = pendingStep("build-images", "Build images", 9);
export const loadImagesStep: Step<UpContext> = pendingStep("load-images", "Load images into the cluster", 9, ["build-images", "ensure-cluster"]);

// Steps of `up` that render and apply the manifests in waves (issue #4).
import { pendingStep, type Step } from "../steps/step.js";
import type { UpContext } from "../steps/context.js";

export const renderManifestsStep: Step<UpContext> = pendingStep("render-manifests", "Render manifests", 4, ["build-images"]);
export const applyDataStep: Step<UpContext> = pendingStep("apply-data", "Apply namespace, config and data services; wait ready", 4, ["render-manifests", "load-images", "install-addons"]);
export const applyAppsStep: Step<UpContext> = pendingStep("apply-apps", "Run jobs, roll out workloads, expose services", 4, ["seed"]);

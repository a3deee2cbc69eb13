// The step of `up` that creates or reuses the cluster (issue #6).
import { pendingStep, type Step } from "../steps/step.js";
import type { UpContext } from "../steps/context.js";

export const ensureClusterStep: Step<UpContext> = pendingStep("ensure-cluster", "Create or reuse the cluster", 6);

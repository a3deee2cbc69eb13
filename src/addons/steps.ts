// The step of `up` that installs NFS, metrics-server and ingress (issue #6).
import { pendingStep, type Step } from "../steps/step.js";
import type { UpContext } from "../steps/context.js";

export const installAddonsStep: Step<UpContext> = pendingStep("install-addons", "Install addons (NFS, metrics-server, ingress)", 6, ["ensure-cluster"]);

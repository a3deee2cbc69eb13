// The step of `up --watch` that syncs changes into running containers (issue #7).
import { pendingStep, type Step } from "../steps/step.js";
import type { UpContext } from "../steps/context.js";

export function watchStep(after: string[]): Step<UpContext> {
  return pendingStep("watch", "Watch sources and hot-reload", 7, after);
}

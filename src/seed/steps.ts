// The step of `up` that seeds Postgres and Redis exactly once (issue #5).
import { pendingStep, type Step } from "../steps/step.js";
import type { UpContext } from "../steps/context.js";

export function seedStep(after: string[]): Step<UpContext> {
  return pendingStep("seed", "Seed Postgres and Redis", 5, after);
}

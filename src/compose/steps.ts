// The step of `up --target compose` that runs the stack with docker compose (issue #8).
import { pendingStep, type Step } from "../steps/step.js";
import type { UpContext } from "../steps/context.js";

export const composeUpStep: Step<UpContext> = pendingStep("compose-up", "Start the stack with docker compose", 8, ["build-images"]);

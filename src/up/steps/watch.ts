// watch (`up --watch`, `devenv dev`): starts the hot-reload session and leaves it running in
// ctx.watching; the command that ran `up` decides when it stops (Ctrl-C).
import type { StepDefinition } from "../../runner/step.js";
import type { UpContext } from "../context.js";
import { planWatch, startWatch } from "../../watch/start.js";

export const watchStep: StepDefinition<UpContext> = {
  id: "watch",
  title: "Watch sources and hot-reload",
  plan: (ctx) => planWatch(ctx),
  async run(ctx, task) {
    ctx.watching = await startWatch(ctx);
    const names = [...ctx.watching.session.rules.keys()];
    task.title(`Watching ${names.length} image${names.length === 1 ? "" : "s"} (${names.join(", ")}); Ctrl-C stops`);
  },
};

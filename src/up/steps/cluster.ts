// ensure-cluster: create or reuse the cluster and its registry.
import type { StepDefinition } from "../../runner/step.js";
import type { UpContext } from "../context.js";
import { clusterPlan, ensureEnvCluster } from "../../cluster/ensure.js";

export const ensureClusterStep: StepDefinition<UpContext> = {
  id: "ensure-cluster",
  title: "Create or reuse the cluster",
  plan: (ctx) => clusterPlan(ctx.env),
  async run(ctx, task) {
    const { created, provider: p, handle } = await ensureEnvCluster(ctx.env, (l) => task.output(l));
    ctx.cluster = handle;
    task.title(`${created ? "Created" : "Reused"} ${p.provider} cluster ${p.name} (${handle.nodes.length || "remote"} node${handle.nodes.length === 1 ? "" : "s"})`);
  },
};

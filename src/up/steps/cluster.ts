// ensure-cluster: create or reuse the cluster and its registry.
import type { StepDefinition } from "../../runner/step.js";
import type { LoadedEnv } from "../../config/load.js";
import { DevenvError } from "../../errors/devenv-error.js";
import type { UpContext } from "../context.js";
import { clusterPlan, ensureEnvCluster } from "../../cluster/ensure.js";
import { traitsOf } from "../../cluster/traits.js";
import { DOCKER_SOCKET, dockerSocketUsers } from "../../kube/host-sockets.js";
import { renderManifests } from "../../kube/render.js";

/**
 * The environment the cluster is made for: when the manifests mount the Docker socket (hostPath),
 * every kind/k3d node mounts the host's (cluster.mounts → kind extraMounts, k3d volumes), since
 * the nodes run containerd and have none. `existing` is refused: devenv cannot mount into its nodes.
 */
async function clusterEnv(ctx: UpContext): Promise<{ env: LoadedEnv; note?: string }> {
  const users = dockerSocketUsers(ctx.objects ?? (await renderManifests(ctx.env, ctx.images)));
  if (!users.length) return { env: ctx.env };
  const { cluster } = ctx.env.config;
  if (!traitsOf(cluster).managed) {
    throw new DevenvError(`${users.join(", ")} mount${users.length === 1 ? "s" : ""} the node's Docker socket (hostPath ${DOCKER_SOCKET}), which devenv cannot provide on an existing cluster`, {
      hint: `use cluster.provider "kind" or "k3d" (devenv mounts the host's socket into their nodes), or make sure every node of the existing cluster has a Docker engine at ${DOCKER_SOCKET}`,
    });
  }
  if (cluster.mounts.some((m) => m.containerPath === DOCKER_SOCKET)) return { env: ctx.env };
  const mounts = [...cluster.mounts, { hostPath: DOCKER_SOCKET, containerPath: DOCKER_SOCKET }];
  const env = { ...ctx.env, config: { ...ctx.env.config, cluster: { ...cluster, mounts } } };
  return { env, note: `mount the host's Docker socket ${DOCKER_SOCKET} into every node (${cluster.provider === "kind" ? "kind extraMounts" : "k3d volumes"}): ${users.join(", ")} mount${users.length === 1 ? "s" : ""} it and the nodes run containerd; a cluster created without it must be re-created (\`devenv reset --cluster\`)` };
}

export const ensureClusterStep: StepDefinition<UpContext> = {
  id: "ensure-cluster",
  title: "Create or reuse the cluster",
  plan: async (ctx) => {
    const { env, note } = await clusterEnv(ctx);
    return [...(await clusterPlan(env)), ...(note ? [note] : [])];
  },
  async run(ctx, task) {
    const { env, note } = await clusterEnv(ctx);
    if (note) task.output(note);
    // The registry's fallback warning goes to the summary too: every load is slower until it is fixed.
    const { created, provider: p, handle, registryFallback } = await ensureEnvCluster(env, (l) => (/^(warning: the local registry| {2})/.test(l) ? ctx.log(l) : task.output(l)));
    ctx.cluster = handle;
    task.title(`${created ? "Created" : "Reused"} ${p.provider} cluster ${p.name} (${handle.nodes.length || "remote"} node${handle.nodes.length === 1 ? "" : "s"}${handle.registry ? `, registry ${handle.registry}` : registryFallback ? ", registry down: node import" : ""})`);
  },
};

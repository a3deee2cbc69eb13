// What `devenv reset` and `devenv down` do, as plans (pure, shown by --dry-run and the
// confirmation prompt) and their execution.
import { rm } from "node:fs/promises";
import type { LoadedEnv } from "../config/load.js";
import type { Target } from "../model/index.js";
import { configError } from "../errors/devenv-error.js";
import { providerFor } from "../cluster/provider-for.js";
import { registryVolume, removeRegistry } from "../cluster/registry.js";
import { stateDir } from "../cluster/state.js";
import { traitsOf } from "../cluster/traits.js";
import { composeProjectName } from "../compose/project-name.js";
import { KEEP_CONTENT_TAGS } from "../images/prune.js";

export type ResetScope = "data" | "cluster" | "all";
export type ResetAction = "reset-data" | "delete-cluster" | "remove-registry" | "remove-compose-project" | "remove-state" | "prune-content-tags";

/** The widest scope asked for: --all > --cluster > --data (the default). */
export function resetScope(o: { cluster?: boolean; all?: boolean }): ResetScope {
  return o.all ? "all" : o.cluster ? "cluster" : "data";
}

/** The actions of a reset, in order, each with a line saying what it does. Pure. */
export function resetPlan(scope: ResetScope, env: LoadedEnv, target: Target): { action: ResetAction; line: string }[] {
  const plan = basePlan(scope, env, target);
  if (Object.keys(env.config.images).length === 0) return plan;
  return [...plan, { action: "prune-content-tags", line: `remove the content tags devenv-<hash> of this env's images beyond the newest ${KEEP_CONTENT_TAGS} per image (none a container uses)` }];
}

function basePlan(scope: ResetScope, env: LoadedEnv, target: Target): { action: ResetAction; line: string }[] {
  const { cluster } = env.config;
  if (scope === "data") {
    return [{ action: "reset-data", line: `drop and re-seed the ${target === "compose" ? "compose" : "cluster"} databases of "${env.config.name}" (the ${target === "compose" ? "containers stay" : "cluster stays"})` }];
  }
  if (target === "compose") {
    if (!env.config.compose) throw configError("devenv.ts declares no compose setup", `${env.file} (compose)`, 'add compose: { files: ["docker-compose.yml"] } to use --target compose');
    // The compose target has no cluster: --cluster and --all remove the compose project.
    const out: { action: ResetAction; line: string }[] = [{ action: "remove-compose-project", line: `remove the compose project "${composeProjectName(env)}": its containers, networks and volumes (the data)` }];
    if (scope === "all") out.push({ action: "remove-state", line: `remove ${stateDir(env.root)}` });
    return out;
  }
  if (!traitsOf(cluster).managed) {
    throw configError(`\`devenv reset --${scope}\` would delete a cluster devenv did not create (context "${cluster.context ?? ""}")`, `${env.file} (cluster.provider)`, "use `devenv reset` (data only) on an existing cluster");
  }
  // The registry's storage is the push cache: it survives the cluster (the next `up` pushes only what it lacks).
  const keeps = cluster.registry.enabled && scope === "cluster" ? ` (the local registry "${cluster.registry.name}" and its volume ${registryVolume(cluster.registry)} stay: the image cache)` : "";
  const out: { action: ResetAction; line: string }[] = [{ action: "delete-cluster", line: `delete the ${cluster.provider} cluster "${cluster.name}" and everything in it${keeps}` }];
  if (scope === "all") {
    // Also when opted out since: a registry devenv made earlier goes too (removeRegistry ignores a missing one).
    out.push({ action: "remove-registry", line: `remove the local registry container "${cluster.registry.name}" and its storage volume ${registryVolume(cluster.registry)} (the pushed images), if devenv created them` });
    out.push({ action: "remove-state", line: `remove ${stateDir(env.root)}` });
  }
  return out;
}

/** Runs the actions of a reset plan. */
export async function runReset(actions: ResetAction[], env: LoadedEnv, target: Target, log: (line: string) => void): Promise<void> {
  for (const action of actions) {
    switch (action) {
      case "reset-data": {
        const { resetData } = await import("../seed/index.js");
        const context = target === "cluster" ? (await providerFor(env)).context : undefined;
        const r = await resetData(env, { target, context, log });
        log(`re-seeded: ${r.applied.length} applied, ${r.skipped.length} skipped`);
        break;
      }
      case "delete-cluster":
        await (await providerFor(env)).delete();
        log(`deleted cluster ${env.config.cluster.name}`);
        break;
      case "remove-compose-project": {
        const { composeDown } = await import("../compose/run.js");
        await composeDown(env, { volumes: true });
        log(`removed compose project ${composeProjectName(env)} and its volumes`);
        break;
      }
      case "prune-content-tags": {
        const { contentTagRepositories, describePrune, pruneContentTags } = await import("../images/prune.js");
        const line = describePrune(await pruneContentTags(contentTagRepositories(env.config)));
        log(line ?? `no old content tags to remove (at most ${KEEP_CONTENT_TAGS} per image)`);
        break;
      }
      case "remove-registry":
        if (await removeRegistry(env.config.cluster.registry)) log(`removed registry ${env.config.cluster.registry.name}`);
        break;
      case "remove-state":
        await rm(stateDir(env.root), { recursive: true, force: true });
        log(`removed ${stateDir(env.root)}`);
        break;
    }
  }
}

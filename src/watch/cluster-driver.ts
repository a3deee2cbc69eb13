// The cluster side of hot reload: targets are the running pods whose containers run the image;
// a rebuild builds the new content tag, loads it into the cluster, points the workloads at it
// (a rollout) and waits until they are ready.
import type { LoadedEnv } from "../config/load.js";
import { buildImage } from "../images/build.js";
import { loaderFor } from "../images/loader-for.js";
import type { ImageLoader } from "../images/loader.js";
import { registryRef, repositoryOf } from "../images/refs.js";
import { waitReady } from "../kube/apply.js";
import { podSpecOf, type Container } from "../kube/pod-spec.js";
import type { KubeRest } from "../kube/rest.js";
import type { BuiltImage, ClusterHandle, KubeObject } from "../model/index.js";
import { clientAgentStarter, clientExec, podContainersOf, podTarget, type PodAgentStarter, type PodExec, type WorkdirCache } from "./kube-target.js";
import { cachedAgent, closeAgents, type AgentCache } from "./sync-agent.js";
import type { TargetDriver } from "./target.js";

const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet"] as const;

export interface ClusterDriverOptions {
  build?: typeof buildImage;
  exec?: PodExec;
  /** Sync agents in pods; false: one `tar xf -` exec per sync. */
  agent?: PodAgentStarter | false;
  /** How long a rollout may take. */
  rolloutTimeoutMs?: number;
  /** How a rebuilt image reaches the cluster (default: loaderFor(cluster): its registry, else its nodes). */
  loader?: ImageLoader;
}

/** The patch that points every container of `workload` running `repository` at `ref`, or undefined. Pure. */
export function imagePatch(workload: KubeObject, repository: string, ref: string): KubeObject | undefined {
  const spec = podSpecOf(workload);
  const pick = (cs: Container[] = []) => cs.filter((c) => c.image && repositoryOf(c.image) === repository && c.image !== ref).map((c) => ({ name: c.name, image: ref }));
  const containers = pick(spec?.containers);
  const initContainers = pick(spec?.initContainers);
  if (containers.length === 0 && initContainers.length === 0) return undefined;
  const podSpec: Record<string, unknown> = {};
  if (containers.length) podSpec.containers = containers;
  if (initContainers.length) podSpec.initContainers = initContainers;
  return { apiVersion: workload.apiVersion, kind: workload.kind, metadata: { name: workload.metadata.name, namespace: workload.metadata.namespace }, spec: { template: { spec: podSpec } } };
}

export function clusterDriver(env: LoadedEnv, rest: KubeRest, cluster: ClusterHandle, opts: ClusterDriverOptions = {}): TargetDriver {
  const ns = env.namespace;
  const build = opts.build ?? buildImage;
  const exec = opts.exec ?? clientExec(rest, ns);
  const startAgent = opts.agent === false ? undefined : (opts.agent ?? clientAgentStarter(rest, ns));
  const agents: AgentCache = new Map();
  const workdirs: WorkdirCache = new Map();
  return {
    kind: "cluster",
    async targets(image) {
      const pods = await rest.list<KubeObject>(`/api/v1/namespaces/${ns}/pods`);
      // Working directories of pods that are gone are forgotten (pod names never hold a "/").
      const names = new Set(pods.items.map((p) => p.metadata.name));
      for (const key of workdirs.keys()) if (!names.has(key.slice(0, key.indexOf("/")))) workdirs.delete(key);
      return podContainersOf(pods.items, image).map((pc) =>
        podTarget(exec, pc, startAgent && (() => cachedAgent(agents, `${pc.pod}/${pc.container}`, () => startAgent(pc))), workdirs),
      );
    },
    async rebuild(name, current, onProgress) {
      const image: BuiltImage = await build(env, name, { onProgress });
      if (current && image.id === current.id) return { image, replaced: [] };
      // With a local registry the pods run the registry's name for the image: it is pushed there (only
      // the changed layers travel) or, when the registry is down this run, imported into the nodes under it.
      const named = cluster.imageRegistry ?? cluster.registry;
      const runRef = named ? registryRef(image.ref, named) : image.ref;
      const loader = opts.loader ?? (await loaderFor(cluster));
      await loader?.load([{ ref: runRef, id: image.id }], onProgress); // `existing` without a registry: the cluster must reach the host's images
      const patched: KubeObject[] = [];
      for (const kind of WORKLOAD_KINDS) {
        const plural = `${kind.toLowerCase()}s`;
        const list = await rest.list<KubeObject>(`/apis/apps/v1/namespaces/${ns}/${plural}`);
        for (const w of list.items) {
          const patch = imagePatch({ ...w, apiVersion: "apps/v1", kind }, repositoryOf(runRef), runRef);
          if (!patch) continue;
          await rest.patch(`/apis/apps/v1/namespaces/${ns}/${plural}/${w.metadata.name}`, patch, "strategic", { fieldManager: "devenv" });
          patched.push(patch);
        }
      }
      if (patched.length > 0) await waitReady(rest, patched, opts.rolloutTimeoutMs ?? 180_000);
      return { image, replaced: patched.map((p) => `${p.kind.toLowerCase()}/${p.metadata.name}`) };
    },
    close: () => closeAgents(agents),
  };
}

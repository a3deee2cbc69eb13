// render-manifests, apply-data and apply-apps: the manifests rendered with the built image
// tags, then applied in waves; apply-data runs the waves up to the data services (the seeds
// run next), apply-apps the rest.
import type { StepDefinition } from "../../runner/step.js";
import type { KubeObject } from "../../model/index.js";
import type { UpContext } from "../context.js";
import { KubeRest } from "../../kube/rest.js";
import { deployPhase } from "../../kube/deploy.js";
import { devPullPolicy, devSupervisor, renderManifests } from "../../kube/render.js";
import { restartProcesses } from "../../images/process-supervisor.js";
import { checkDevSecrets, devSecrets, missingSecrets } from "../../kube/secrets.js";
import { describeWaves, planWaves } from "../../kube/waves.js";
import { unprovidedStorageClass, type ProvidedClass } from "../../kube/storage-classes.js";
import { traitsOf } from "../../cluster/traits.js";

/** How long a wave may take to become ready (DEVENV_WAIT_TIMEOUT_MS overrides). */
export const waitTimeoutMs = () => Number(process.env.DEVENV_WAIT_TIMEOUT_MS ?? 300_000);

function manifestsLabel(ctx: UpContext): string {
  const m = ctx.env.config.manifests;
  if (!m) return "no manifests configured";
  return "kustomize" in m ? `kubectl kustomize ${m.kustomize}` : m.files.join(", ");
}

async function kubeFor(ctx: UpContext): Promise<KubeRest> {
  return KubeRest.forContext(ctx.cluster?.context ?? ctx.env.config.cluster.context);
}

const planned = new WeakMap<UpContext, Promise<KubeObject[]>>();

/** Objects for the plan: rendered once per run without side effects (dry-run builds no images, writes no secrets). */
async function planObjects(ctx: UpContext): Promise<KubeObject[]> {
  if (ctx.objects) return ctx.objects;
  if (!planned.has(ctx)) planned.set(ctx, renderManifests(ctx.env, ctx.images));
  return planned.get(ctx)!;
}

/** Jobs the seeds wait for: they run in the data phase, before seeding. */
function migrationJobs(ctx: UpContext): string[] {
  return Object.values(ctx.env.config.seeds.postgres).flatMap((s) => (s.migrate?.job ? [s.migrate.job] : []));
}

async function phasePlan(ctx: UpContext, phase: "data" | "apps"): Promise<string[]> {
  const rendered = await planObjects(ctx);
  // Dev secrets are planned by name only: their values are never computed in a dry run, but their sources are checked.
  if (!ctx.objects) checkDevSecrets(ctx.env, rendered);
  const secrets: KubeObject[] = ctx.objects ? [] : missingSecrets(rendered).map((s) => ({ apiVersion: "v1", kind: "Secret", metadata: { name: s.name } }));
  const waves = describeWaves(planWaves([...rendered, ...secrets], ctx.env.config.order, { migrationJobs: migrationJobs(ctx) }).filter((w) => w.phase === phase));
  const lines = waves.map((l) => `server-side apply (field manager devenv) ${l}`);
  if (phase === "apps") lines.push(`prune objects devenv applied before that the manifests no longer contain (inventory ConfigMap in ${ctx.env.namespace})`);
  return lines.length ? lines : ["nothing to apply"];
}

/** The StorageClasses devenv knows will exist: the nfs addon's and the provider's local class. */
function providedClasses(ctx: UpContext): ProvidedClass[] {
  const out: ProvidedClass[] = [];
  const nfs = ctx.env.config.addons.nfs;
  if (nfs.enabled) out.push({ name: nfs.storageClass, by: "the nfs addon (devenv.ts addons.nfs.storageClass)" });
  const traits = traitsOf(ctx.cluster ?? ctx.env.config.cluster);
  if (traits.localStorageClass) out.push({ name: traits.localStorageClass, by: `${traits.provider}'s local storage` });
  return out;
}

/**
 * Claims on a StorageClass nothing provides stay Pending: refused before anything is applied.
 * A managed cluster (kind, k3d) has only what devenv installs; on `existing` the cluster's own
 * classes count too, so that check waits for a connection (`cluster`).
 */
async function checkStorageClasses(ctx: UpContext, objects: KubeObject[], rest?: KubeRest): Promise<void> {
  const provided = providedClasses(ctx);
  if (rest) {
    const live = await rest.find<{ items: KubeObject[] }>("/apis/storage.k8s.io/v1/storageclasses");
    for (const sc of live?.items ?? []) provided.push({ name: sc.metadata.name, by: "the cluster" });
  } else if (!traitsOf(ctx.cluster ?? ctx.env.config.cluster).managed) return;
  const err = unprovidedStorageClass(objects, provided);
  if (err) throw err;
}

/** On kind/k3d, images devenv loads into the nodes must not be pulled: Always → IfNotPresent (notes say where). */
function pullPolicies(ctx: UpContext, objects: KubeObject[]): string[] {
  const { cluster } = ctx.env.config;
  if (!traitsOf(ctx.cluster ?? cluster).managed) return [];
  // With the local registry, devenv's own images are pushed there and pulled from it.
  const pushed = new Set(cluster.registry.enabled ? [...ctx.images.values()].map((i) => i.ref) : []);
  return devPullPolicy(objects, (image) => [...pushed].some((ref) => image === ref || image.endsWith(`/${ref}`)));
}

/** ENTRYPOINT/CMD of the built afterSync "restart" images, by repository: their containers run under the process supervisor. */
async function supervisedProcesses(ctx: UpContext) {
  const procs = await restartProcesses(ctx.env, ctx.images);
  return new Map([...procs].map(([n, p]) => [ctx.images.get(n)!.repository, p]));
}

/** What render-manifests makes; a step that needs it when render-manifests was left out (`--only`) renders it itself. */
async function renderedObjects(ctx: UpContext): Promise<KubeObject[]> {
  return ctx.objects ?? (await render(ctx)).all;
}

/** Renders the manifests and the dev Secrets they lack (generated or read once, stored under .devenv/secrets). */
async function render(ctx: UpContext): Promise<{ all: KubeObject[]; rendered: number; secrets: number; notes: string[] }> {
  const objects = await renderManifests(ctx.env, ctx.images);
  await checkStorageClasses(ctx, objects);
  const notes = pullPolicies(ctx, objects);
  notes.push(...devSupervisor(objects, await supervisedProcesses(ctx)));
  const secrets = devSecrets(ctx.env, objects);
  ctx.objects = [...objects, ...secrets];
  return { all: ctx.objects, rendered: objects.length, secrets: secrets.length, notes };
}

export const renderManifestsStep: StepDefinition<UpContext> = {
  id: "render-manifests",
  title: "Render manifests",
  plan: async (ctx) => {
    const objects = await planObjects(ctx);
    await checkStorageClasses(ctx, objects);
    const secrets = missingSecrets(objects).map((s) => `generate dev Secret ${s.name} from devenv.ts secrets (stored 0600 under .devenv/secrets/)`);
    const pulls = pullPolicies(ctx, structuredClone(objects));
    pulls.push(...devSupervisor(structuredClone(objects), await supervisedProcesses(ctx)));
    return [`render ${manifestsLabel(ctx)}: ${objects.length} objects, images rewritten to built tags / overrides`, ...pulls, ...secrets];
  },
  run: async (ctx, task) => {
    const { rendered, secrets, notes } = await render(ctx);
    for (const n of notes) task.output(n);
    task.output(`${rendered} objects${secrets ? `, ${secrets} dev secret(s)` : ""}`);
  },
};

function phaseStep(id: string, title: string, phase: "data" | "apps"): StepDefinition<UpContext> {
  return {
    id,
    title,
    plan: (ctx) => phasePlan(ctx, phase),
    run: async (ctx, task) => {
      const rest = await kubeFor(ctx);
      const objects = await renderedObjects(ctx);
      if (phase === "data") await checkStorageClasses(ctx, objects, rest);
      await deployPhase(rest, objects, phase, {
        envName: ctx.env.config.name,
        namespace: ctx.env.namespace,
        order: ctx.env.config.order,
        migrationJobs: migrationJobs(ctx),
        timeoutMs: waitTimeoutMs(),
        recreate: ctx.recreate,
        log: (line) => task.output(line),
      });
    },
  };
}

export const applyDataStep = phaseStep("apply-data", "Apply namespace, config and data services; wait ready", "data");
export const applyAppsStep = phaseStep("apply-apps", "Run jobs, roll out workloads, expose services", "apps");

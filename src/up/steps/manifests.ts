// render-manifests, apply-data and apply-apps: the manifests rendered with the built image
// tags, then applied in waves; apply-data runs the waves up to the data services (the seeds
// run next), apply-apps the rest.
import type { StepDefinition } from "../../runner/step.js";
import type { KubeObject } from "../../model/index.js";
import type { UpContext } from "../context.js";
import { KubeRest } from "../../kube/rest.js";
import { deployPhase } from "../../kube/deploy.js";
import { renderManifests } from "../../kube/render.js";
import { devSecrets, missingSecrets } from "../../kube/secrets.js";
import { describeWaves, planWaves } from "../../kube/waves.js";

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
  // Dev secrets are planned by name only: their values are never computed in a dry run.
  const secrets: KubeObject[] = ctx.objects ? [] : missingSecrets(rendered).map((s) => ({ apiVersion: "v1", kind: "Secret", metadata: { name: s.name } }));
  const waves = describeWaves(planWaves([...rendered, ...secrets], ctx.env.config.order, { migrationJobs: migrationJobs(ctx) }).filter((w) => w.phase === phase));
  const lines = waves.map((l) => `server-side apply (field manager devenv) ${l}`);
  if (phase === "apps") lines.push(`prune objects devenv applied before that the manifests no longer contain (inventory ConfigMap in ${ctx.env.namespace})`);
  return lines.length ? lines : ["nothing to apply"];
}

/** What render-manifests makes; a step that needs it when render-manifests was left out (`--only`) renders it itself. */
async function renderedObjects(ctx: UpContext): Promise<KubeObject[]> {
  return ctx.objects ?? (await render(ctx)).all;
}

/** Renders the manifests and the dev Secrets they lack (generated or read once, stored under .devenv/secrets). */
async function render(ctx: UpContext): Promise<{ all: KubeObject[]; rendered: number; secrets: number }> {
  const objects = await renderManifests(ctx.env, ctx.images);
  const secrets = devSecrets(ctx.env, objects);
  ctx.objects = [...objects, ...secrets];
  return { all: ctx.objects, rendered: objects.length, secrets: secrets.length };
}

export const renderManifestsStep: StepDefinition<UpContext> = {
  id: "render-manifests",
  title: "Render manifests",
  plan: async (ctx) => {
    const objects = await planObjects(ctx);
    const secrets = missingSecrets(objects).map((s) => `generate dev Secret ${s.name} from devenv.ts secrets (stored 0600 under .devenv/secrets/)`);
    return [`render ${manifestsLabel(ctx)}: ${objects.length} objects, images rewritten to built tags / overrides`, ...secrets];
  },
  run: async (ctx, task) => {
    const { rendered, secrets } = await render(ctx);
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
      await deployPhase(rest, await renderedObjects(ctx), phase, {
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

// Steps of `up` that render the manifests and apply them in waves (issue #4): apply-data runs
// the waves up to the data services, seeding runs between, apply-apps runs the rest.
import type { Step } from "../steps/step.js";
import type { KubeObject, UpContext } from "../steps/context.js";
import { loadKubeConfig } from "./client.js";
import { KubeRest } from "./rest.js";
import { deployPhase } from "./deploy.js";
import { renderManifests } from "./render.js";
import { devSecrets, missingSecrets } from "./secrets.js";
import { describeWaves, planWaves } from "./waves.js";

/** How long a wave may take to become ready (DEVENV_WAIT_TIMEOUT_MS overrides). */
export const waitTimeoutMs = () => Number(process.env.DEVENV_WAIT_TIMEOUT_MS ?? 300_000);

function manifestsLabel(ctx: UpContext): string {
  const m = ctx.env.config.manifests;
  if (!m) return "no manifests configured";
  return "kustomize" in m ? `kubectl kustomize ${m.kustomize}` : m.files.join(", ");
}

async function kubeFor(ctx: UpContext): Promise<KubeRest> {
  return new KubeRest(await loadKubeConfig(ctx.cluster?.context ?? ctx.env.config.cluster.context));
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

export const renderManifestsStep: Step<UpContext> = {
  id: "render-manifests",
  title: "Render manifests",
  after: ["build-images"],
  plan: async (ctx) => {
    const objects = await planObjects(ctx);
    const secrets = missingSecrets(objects).map((s) => `generate dev Secret ${s.name} from devenv.ts secrets (stored 0600 under .devenv/secrets/)`);
    return [`render ${manifestsLabel(ctx)}: ${objects.length} objects, images rewritten to built tags / overrides`, ...secrets];
  },
  run: async (ctx, task) => {
    const objects = await renderManifests(ctx.env, ctx.images);
    const secrets = devSecrets(ctx.env, objects);
    ctx.objects = [...objects, ...secrets];
    task.output(`${objects.length} objects${secrets.length ? `, ${secrets.length} dev secret(s)` : ""}`);
  },
};

function phaseStep(id: string, title: string, after: string[], phase: "data" | "apps"): Step<UpContext> {
  return {
    id,
    title,
    after,
    plan: (ctx) => phasePlan(ctx, phase),
    run: async (ctx, task) => {
      const rest = await kubeFor(ctx);
      await deployPhase(rest, ctx.objects ?? [], phase, {
        envName: ctx.env.config.name,
        namespace: ctx.env.namespace,
        order: ctx.env.config.order,
        migrationJobs: migrationJobs(ctx),
        timeoutMs: waitTimeoutMs(),
        log: (line) => task.output(line),
      });
    },
  };
}

export const applyDataStep: Step<UpContext> = phaseStep("apply-data", "Apply namespace, config and data services; wait ready", ["render-manifests", "load-images", "install-addons"], "data");
export const applyAppsStep: Step<UpContext> = phaseStep("apply-apps", "Run jobs, roll out workloads, expose services", ["seed"], "apps");

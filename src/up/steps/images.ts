// build-images and load-images: every image of devenv.ts tagged by content, then placed on
// the cluster (registry push, or node import) together with the third-party images the
// manifests and addons run.
import type { StepDefinition } from "../../runner/step.js";
import type { UpContext } from "../context.js";
import { pingDocker, requireDocker } from "../../docker/client.js";
import { DevenvError } from "../../errors/devenv-error.js";
import { buildImages, imageTarget } from "../../images/build.js";
import { imageIdOf } from "../../images/engine.js";
import { describeReports, type ImageLoader, type LoadImage, type LoadReport } from "../../images/loader.js";
import { loaderFor } from "../../images/loader-for.js";
import { registryRef } from "../../images/refs.js";
import { REGISTRY_KEEP_TAGS } from "../../images/registry-gc.js";
import { HOSTING_CONFIGMAP, imageRegistryFor, managedRegistry } from "../../cluster/registry-hosting.js";
import { thirdPartyRefs } from "../../images/third-party.js";
import { containerImages } from "../../kube/pod-spec.js";
import { devPullPolicy } from "../../kube/render.js";
import { addonImages } from "../../addons/images.js";
import { traitsOf } from "../../cluster/traits.js";
import { kubernetesVersionOf } from "./addons.js";

const names = (ctx: UpContext) => Object.keys(ctx.env.config.images);

/** With a local registry the cluster pulls built images from it, so ctx.images names them
 *  there (`localhost:5001/acme/api:devenv-…`): render-manifests' resolveImageRef then writes
 *  the pullable name, and load-images pushes under the same name (or, when the registry cannot
 *  start, imports the images into the nodes under it). Compose keeps local names. An existing
 *  cluster's advertised registry is asked for here (once; ensure-cluster reads the same answer);
 *  when the cluster cannot be reached ensure-cluster says so. */
async function registryOf(ctx: UpContext): Promise<string | undefined> {
  if (ctx.target !== "cluster") return undefined;
  return (await imageRegistryFor(ctx.env).catch(() => undefined))?.pull;
}

/** build-images: every image of devenv.ts, tagged by content; fills ctx.images. */
export const buildImagesStep: StepDefinition<UpContext> = {
  id: "build-images",
  title: "Build images",
  async plan(ctx) {
    if (names(ctx).length === 0) return ["no images declared in devenv.ts"];
    const reachable = (await pingDocker()).ok;
    const d = reachable ? await requireDocker() : undefined;
    const lines: string[] = [];
    for (const name of names(ctx)) {
      const t = await imageTarget(ctx.env, name);
      const exists = d ? Boolean(await imageIdOf(d, t.ref)) : false;
      lines.push(exists ? `${t.ref} exists (images.${name}): not rebuilt` : `build ${t.ref} (images.${name}, ${t.config.context}/${t.config.dockerfile})`);
    }
    return lines;
  },
  // No check(): "already done?" would have to fill ctx.images. buildImages leaves an image
  // whose content tag exists alone, so an unchanged run builds nothing and says it skipped.
  async run(ctx, task) {
    if (names(ctx).length === 0) return task.skipped("no images declared");
    const built = await buildImages(ctx.env, names(ctx), { onImageProgress: (name, line) => task.output(`${name}: ${line}`) });
    const registry = await registryOf(ctx);
    for (const b of built) ctx.images.set(b.name, registry ? { ...b, ref: registryRef(b.ref, registry) } : b);
    const n = built.filter((b) => b.built).length;
    if (n === 0) task.skipped(`all ${built.length} content tag${built.length === 1 ? "" : "s"} exist (sources unchanged)`);
    else task.title(`Build images (${n} built, ${built.length - n} unchanged)`);
  },
};

/** What load-images places: built images (registry or nodes) and third-party ones (nodes). */
async function loadSets(ctx: UpContext, warn?: (line: string) => void): Promise<{ built: LoadImage[]; thirdParty: LoadImage[] }> {
  const built = [...ctx.images.values()].map((b) => ({ ref: b.ref, id: b.id }));
  const manifestRefs = ctx.objects ? thirdPartyRefs(containerImages(ctx.objects), ctx.images.values(), ctx.env.config.imageOverrides) : [];
  // Addon images too (install-addons runs after this step), so the cluster pulls nothing.
  // Picked by the cluster's Kubernetes version, as install-addons picks the releases it applies.
  const addonRefs = ctx.cluster && traitsOf(ctx.cluster).managed ? addonImages(ctx.env, await kubernetesVersionOf(ctx)) : [];
  const refs = [...new Set([...manifestRefs, ...addonRefs])];
  const thirdParty: LoadImage[] = [];
  if (refs.length === 0) return { built, thirdParty }; // nothing to look up: no Docker needed
  const d = await requireDocker();
  for (const ref of refs) {
    const id = await imageIdOf(d, ref);
    // Not cached on the host: the cluster pulls it itself; say how to make it offline-proof.
    if (!id) warn?.(`image ${ref} is not in the local image cache, so the cluster will pull it: \`docker pull ${ref}\` once (or map it in devenv.ts imageOverrides) to work offline`);
    else thirdParty.push({ ref, id });
  }
  return { built, thirdParty };
}

/** Which loader gets which images: with a registry, built images are pushed and third-party
 *  ones still go to the nodes (manifests name them by their own names); else all go to the nodes. */
async function loadWork(ctx: UpContext, warn?: (line: string) => void): Promise<{ loader: ImageLoader; images: LoadImage[] }[]> {
  const cluster = ctx.cluster!;
  const { built, thirdParty } = await loadSets(ctx, warn);
  const nodes = await loaderFor({ ...cluster, registry: undefined });
  if (!cluster.registry) return nodes ? [{ loader: nodes, images: [...built, ...thirdParty] }] : [];
  const work = [{ loader: (await loaderFor(cluster))!, images: built }];
  if (nodes && thirdParty.length) work.push({ loader: nodes, images: thirdParty });
  return work;
}

/** load-images: places images on the cluster (registry push, or node import); skips what is there. */
export const loadImagesStep: StepDefinition<UpContext> = {
  id: "load-images",
  title: "Load images into the cluster",
  plan(ctx) {
    const c = ctx.env.config.cluster;
    const { managed } = traitsOf(c);
    const own = managedRegistry(c);
    const built = names(ctx).map((n) => ctx.env.config.images[n]!.image);
    if (!managed && !c.registry.enabled) return ["existing cluster, cluster.registry.enabled: false: nothing is loaded (the cluster pulls its images)"];
    if (!managed) {
      const where = c.registry.host ?? `the registry the cluster advertises in ${HOSTING_CONFIGMAP.namespace}/${HOSTING_CONFIGMAP.name} (KEP-1755), if it advertises one; else nothing is loaded`;
      return built.length ? [`push ${built.join(", ")} (content tags, only the layers it lacks) to ${where}`] : [];
    }
    const where = own
      ? `push to the local registry ${own.push} (only the layers it lacks; nothing for an unchanged image; old content tags beyond the newest ${REGISTRY_KEEP_TAGS} per image deleted there)`
      : `import into each ${c.provider} node of cluster ${c.name} (skipping nodes that hold the image ID)`;
    return [
      ...(built.length ? [`${where}: ${built.join(", ")} (content tags)`] : []),
      ...(!managed ? [] : [`import third-party images (the manifests' and the addons') from the host image cache into each ${c.provider} node (after imageOverrides); addon images: ${addonImages(ctx.env).join(", ") || "none"}`]),
    ];
  },
  async check(ctx) {
    if (!ctx.cluster) return false;
    const work = await loadWork(ctx);
    if (work.length === 0) return "existing cluster without a registry: it pulls its own images";
    for (const { loader, images } of work) {
      if ([...(await loader.missing(images)).values()].some((refs) => refs.length > 0)) return false;
    }
    return `every target already holds every image (${work.reduce((n, w) => n + w.images.length, 0)})`;
  },
  async run(ctx, task) {
    if (!ctx.cluster) {
      throw new DevenvError("load-images needs the cluster, but ensure-cluster did not run", { hint: "run `devenv up` without --only, or list both: --only ensure-cluster,build-images,load-images" });
    }
    const reports: LoadReport[] = [];
    // Registry down this run: the nodes hold devenv's images under their registry names, so a kubelet
    // told to pull them Always would ask the absent registry and fail; they become IfNotPresent.
    if (ctx.cluster.imageRegistry && !ctx.cluster.registry && ctx.objects) {
      const built = new Set([...ctx.images.values()].map((b) => b.ref));
      for (const note of devPullPolicy(ctx.objects, (image) => !built.has(image))) ctx.log(note);
    }
    for (const { loader, images } of await loadWork(ctx, (l) => ctx.log(l))) reports.push(...(await loader.load(images, (line) => task.output(line))));
    for (const line of describeReports(reports)) ctx.log(line);
    const moved = reports.filter((r) => r.action === "imported" || r.action === "pushed").length;
    task.title(`Load images into the cluster (${moved} transferred, ${reports.length - moved} already there)`);
  },
};

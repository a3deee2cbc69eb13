// The build-images and load-images steps end to end on a real engine and a real containerd
// node: check → run → check again skips; third-party images come from the host cache.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDocker, LOCAL_IMAGES } from "../../helpers/docker.js";
import { buildImagesStep, loadImagesStep } from "../../../src/up/steps/images.js";
import type { KubeObject } from "../../../src/model/index.js";
import type { UpContext } from "../../../src/up/context.js";
import { envAt, nodeImageNames, project, removeContainers, removeRepository, startNode, startRegistry, suffix } from "./fixtures.js";

const id = suffix();
const node = `devenv-test-stepnode-${id}`;
const repo = `devenv-test/steps-${id}`;
const p = project({ "web/Dockerfile": "FROM scratch\nCOPY index.html /srv/index.html\n", "web/index.html": "<h1>hi</h1>\n" });
const logs: string[] = [];
const ctx: UpContext = {
  // Opted out of the local registry: the node-import path (the registry's own tests are below).
  env: envAt(p.dir, { cluster: { registry: { enabled: false } }, images: { web: { image: repo, context: "web" } }, imageOverrides: { "debian:bookworm": LOCAL_IMAGES.debian } }),
  target: "cluster",
  dryRun: false,
  yes: true,
  verbose: false,
  watch: false,
  images: new Map(),
  log: (l) => logs.push(l),
};
const pod = (image: string): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name: image.replace(/[^a-z0-9]/g, "-") }, spec: { containers: [{ name: "c", image }] } });
const task = { lines: [] as string[], titles: [] as string[], skips: [] as string[], output(l: string) { this.lines.push(l); }, title(t: string) { this.titles.push(t); }, skipped(r: string) { this.skips.push(r); } };

describeDocker("image steps (real engine and node)", () => {
  beforeAll(async () => {
    await startNode(node);
  });
  afterAll(async () => {
    await removeContainers([node]);
    await removeRepository(repo);
    p.cleanup();
  });

  it("build-images builds and fills ctx.images; unchanged, it fills them again and says it skipped", async () => {
    expect(buildImagesStep.check).toBeUndefined(); // "already done?" would have to fill ctx.images
    await buildImagesStep.run(ctx, task);
    const web = ctx.images.get("web")!;
    expect(web.ref).toMatch(new RegExp(`^${repo}:devenv-[0-9a-f]{12}$`));
    expect(task.titles.at(-1)).toBe("Build images (1 built, 0 unchanged)");
    ctx.images.clear();
    await buildImagesStep.run(ctx, task);
    expect(task.skips.at(-1)).toBe("all 1 content tag exist (sources unchanged)");
    expect(ctx.images.get("web")).toEqual({ ...web, built: false });
  });

  it("load-images imports built and third-party images, then skips; uncached images are named", async () => {
    ctx.cluster = { provider: "kind", name: "t", context: "kind-t", nodes: [node] };
    ctx.objects = [pod("debian:bookworm"), pod(`${repo}:latest`), pod(`devenv-test/never-built-${id}:1`)];
    expect(await loadImagesStep.check!(ctx)).toBe(false);
    await loadImagesStep.run(ctx, task);
    const names = await nodeImageNames(node);
    expect(names).toContain(`docker.io/${ctx.images.get("web")!.ref}`);
    expect(names).toContain(`docker.io/${LOCAL_IMAGES.debian}`);
    expect(logs.some((l) => l.includes(`devenv-test/never-built-${id}:1 is not in the local image cache`))).toBe(true);
    expect(task.lines.some((l) => new RegExp(`MB streamed to ${node}$`).test(l))).toBe(true); // live progress of the ~116 MB load
    expect(task.titles.at(-1)).toBe("Load images into the cluster (2 transferred, 0 already there)");
    expect(await loadImagesStep.check!(ctx)).toBe("every target already holds every image (2)");
  });

  it("registry down this run (fallback): built images keep their registry names and are imported into the nodes under them", async () => {
    const port = 1; // nothing listens: ensure-cluster set imageRegistry but no registry
    const fctx: UpContext = { ...ctx, env: envAt(p.dir, { ...ctx.env.config, cluster: { registry: { enabled: true, port } } }), images: new Map(), cluster: { provider: "kind", name: "t", context: "kind-t", nodes: [node], imageRegistry: `localhost:${port}` } };
    await buildImagesStep.run(fctx, task);
    const web = fctx.images.get("web")!;
    expect(web.ref).toMatch(new RegExp(`^localhost:${port}/${repo}:devenv-[0-9a-f]{12}$`)); // what the manifests name
    const always: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "always" }, spec: { containers: [{ name: "c", image: web.ref, imagePullPolicy: "Always" }, { name: "d", image: LOCAL_IMAGES.debian, imagePullPolicy: "Always" }] } };
    fctx.objects = [...ctx.objects!, always];
    await loadImagesStep.run(fctx, task);
    expect(await nodeImageNames(node)).toContain(web.ref);
    // The kubelet must not ask the absent registry: Always → IfNotPresent for devenv's image only.
    expect((always.spec as { containers: { imagePullPolicy: string }[] }).containers.map((c) => c.imagePullPolicy)).toEqual(["IfNotPresent", "Always"]);
    expect(await loadImagesStep.check!(fctx)).toBe("every target already holds every image (2)");
    await removeRepository(`localhost:${port}/${repo}`);
  });

  it("with a registry: built images are named and pushed there, third-party ones still go to the nodes", async () => {
    const registry = await startRegistry();
    try {
      const port = Number(registry.host.split(":")[1]);
      const rctx: UpContext = { ...ctx, env: envAt(p.dir, { ...ctx.env.config, cluster: { registry: { enabled: true, port } } }), images: new Map(), cluster: { provider: "kind", name: "t", context: "kind-t", nodes: [node], registry: registry.host } };
      await buildImagesStep.run(rctx, task);
      expect(task.skips.at(-1)).toMatch(/^all 1 content tag exist/);
      const web = rctx.images.get("web")!;
      expect(web.ref).toMatch(new RegExp(`^${registry.host}/${repo}:devenv-[0-9a-f]{12}$`)); // what render-manifests will write
      expect(await loadImagesStep.check!(rctx)).toBe(false);
      await loadImagesStep.run(rctx, task);
      const tag = web.ref.split(":").at(-1);
      const res = await fetch(`http://${registry.host}/v2/${repo}/manifests/${tag}`, { headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" } });
      expect(((await res.json()) as { config: { digest: string } }).config.digest).toBe(web.id);
      expect(await loadImagesStep.check!(rctx)).toBe("every target already holds every image (2)");
    } finally {
      await registry.stop();
      await removeRepository(`${registry.host}/${repo}`);
    }
  });
});

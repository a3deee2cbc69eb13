// Pushes through a real registry (Debian's `registry` binary on a free port): the first push
// sends every layer, an unchanged image sends nothing, one changed layer sends one layer.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDocker } from "../../helpers/docker.js";
import { buildImage } from "../../../src/images/build.js";
import { RegistryLoader } from "../../../src/images/registry-loader.js";
import { envAt, project, removeRepository, startRegistry, suffix } from "./fixtures.js";

const repo = `devenv-test/push-${suffix()}`;
const p = project({
  "app/Dockerfile": "FROM scratch\nCOPY big.bin /big.bin\nCOPY small.txt /small.txt\n",
  "app/big.bin": "x".repeat(2 * 1024 * 1024),
  "app/small.txt": "v1\n",
});
const env = envAt(p.dir, { images: { app: { image: repo, context: "app" } } });
let registry: Awaited<ReturnType<typeof startRegistry>>;

describeDocker("RegistryLoader (real registry)", () => {
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
    await removeRepository(repo);
    await removeRepository(`${registry?.host}/${repo}`);
    p.cleanup();
  });

  it("pushes all layers once, nothing for an unchanged image, one layer for one change", async () => {
    const loader = new RegistryLoader(registry.host);
    const v1 = await buildImage(env, "app");
    expect(await loader.missing([v1])).toEqual(new Map([[registry.host, [v1.ref]]]));

    const [first] = await loader.load([v1]);
    expect(first).toMatchObject({ action: "pushed", layersPushed: 2 });
    expect(first!.bytes).toBeGreaterThan(2 * 1024 * 1024 * 0.9);

    expect(await loader.missing([v1])).toEqual(new Map([[registry.host, []]]));
    const [again] = await loader.load([v1]);
    expect(again).toMatchObject({ action: "present", bytes: 0, layersPushed: 0 });

    p.write("app/small.txt", "v2\n");
    const v2 = await buildImage(env, "app");
    const [changed] = await loader.load([v2]);
    expect(changed).toMatchObject({ action: "pushed", layersPushed: 1 });
    expect(changed!.bytes).toBeLessThan(64 * 1024);
    const tag = v2.ref.split(":")[1];
    const manifest = await fetch(`http://${registry.host}/v2/${repo}/manifests/${tag}`, { headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" } });
    expect(((await manifest.json()) as { config: { digest: string } }).config.digest).toBe(v2.id);
  });

  it("names the registry when it does not answer", async () => {
    const v = await buildImage(env, "app");
    await expect(new RegistryLoader("localhost:1").load([v])).rejects.toMatchObject({ name: "DevenvError", hint: expect.stringContaining("curl http://localhost:1/v2/") });
  });
});

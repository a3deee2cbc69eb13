// Old content tags in the real local registry container (devenv-local/registry:2 as devenv runs it:
// REGISTRY_STORAGE_DELETE_ENABLED=true, storage on the named volume). The images are uploaded
// through the registry v2 API (a config blob and a manifest each), so the test controls when each
// was "built" and needs no builds; then reset --all's removal takes the container and the volume.
import { createHash, randomBytes } from "node:crypto";
import { execa } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ensureRegistry, registryVolume, removeRegistry } from "../../../src/cluster/registry.js";
import { collectRegistryTags } from "../../../src/images/registry-gc.js";
import { describeDocker } from "../../helpers/docker.js";
import { freePort } from "../cluster/engine.js";

const sfx = randomBytes(3).toString("hex");
const repo = `devenv-test/gc-${sfx}`;
const sha = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

describeDocker("registry tag collection (real registry container)", () => {
  let reg: { enabled: boolean; name: string; port: number };
  let host: string;

  const blob = async (body: Buffer) => {
    const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: "POST" });
    expect(start.status).toBe(202);
    const loc = new URL(start.headers.get("location")!, `http://${host}`);
    loc.searchParams.set("digest", sha(body));
    const put = await fetch(loc, { method: "PUT", body, headers: { "Content-Type": "application/octet-stream" } });
    expect(put.status).toBe(201);
    return { digest: sha(body), size: body.length };
  };
  const pushImage = async (tag: string, created: string, layer: { digest: string; size: number }) => {
    const config = await blob(Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", created, rootfs: { type: "layers", diff_ids: [layer.digest] }, config: {} })));
    const manifest = { schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.v2+json", config: { mediaType: "application/vnd.docker.container.image.v1+json", ...config }, layers: [{ mediaType: "application/vnd.docker.image.rootfs.diff.tar.gzip", ...layer }] };
    const r = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, { method: "PUT", body: JSON.stringify(manifest), headers: { "Content-Type": manifest.mediaType } });
    expect(r.status).toBe(201);
    return r.headers.get("docker-content-digest")!;
  };
  const tags = async () => (((await (await fetch(`http://${host}/v2/${repo}/tags/list`)).json()) as { tags: string[] | null }).tags ?? []).sort();

  beforeAll(async () => {
    reg = { enabled: true, name: `devenv-registry-gc-${sfx}`, port: await freePort() };
    host = `localhost:${reg.port}`;
    await ensureRegistry(reg, { "registry:2": "devenv-local/registry:2" }, "devenv.ts");
  });
  afterAll(async () => {
    await execa("docker", ["rm", "-f", "-v", reg.name], { reject: false });
    await execa("docker", ["volume", "rm", registryVolume(reg)], { reject: false });
  });

  it("keeps the newest 3 content tags and the other tags, deletes the rest's manifests", async () => {
    const layer = await blob(randomBytes(1024));
    const names = ["a", "b", "c", "d", "e"].map((c) => `devenv-${c.repeat(12)}`);
    for (const [i, t] of names.entries()) await pushImage(t, `2026-01-0${i + 1}T00:00:00Z`, layer);
    await pushImage("stable", "2025-12-01T00:00:00Z", layer);

    const r = await collectRegistryTags(host, repo, { keep: 3, protect: [names[4]!] });
    expect(r).toEqual({ repository: repo, deleted: [names[1], names[0]], kept: [names[4], names[3], names[2]] });
    expect(await tags()).toEqual([...names.slice(2), "stable"].sort());
    // The manifest is gone (not only the tag): a lookup by the deleted tag is a 404.
    expect((await fetch(`http://${host}/v2/${repo}/manifests/${names[0]}`, { headers: { Accept: "application/vnd.docker.distribution.manifest.v2+json" } })).status).toBe(404);
    // Nothing more to do the second time; no lookups below the limit.
    expect(await collectRegistryTags(host, repo, { keep: 3 })).toMatchObject({ deleted: [] });
  });

  it("the storage is a named volume that outlives the container; removing the registry takes both", async () => {
    const before = (await execa("docker", ["volume", "inspect", registryVolume(reg)])).exitCode;
    expect(before).toBe(0);
    // Re-created container (e.g. after `docker rm`), same volume: the tags are still there (the cache).
    await execa("docker", ["rm", "-f", reg.name]);
    await ensureRegistry(reg, { "registry:2": "devenv-local/registry:2" }, "devenv.ts");
    expect((await tags()).length).toBe(4);
    expect(await removeRegistry(reg)).toBe(true);
    expect((await execa("docker", ["volume", "inspect", registryVolume(reg)], { reject: false })).exitCode).not.toBe(0);
    expect(await removeRegistry(reg)).toBe(false);
  });
});

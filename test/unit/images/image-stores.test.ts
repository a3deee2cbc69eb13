// The node check ("already on the node?") with both Docker image stores, from recorded-shape
// outputs of `docker info`, `docker version`, `docker image inspect` and `ctr images ls`
// (test/fixtures/docker-store/README.md names the sources they were written from).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DockerClient, EngineInfo, EngineVersion, ImageInspect } from "../../../src/docker/types.js";
import { exportedDigest, savePlatform, usesContainerdStore } from "../../../src/images/engine.js";
import { withExportedDigests } from "../../../src/images/node-loader.js";
import { parseImageList, planNode } from "../../../src/images/node-store.js";

const dir = new URL("../../fixtures/docker-store/", import.meta.url);
const json = <T>(p: string): T => JSON.parse(readFileSync(new URL(p, dir), "utf8")) as T;
const text = (p: string): string => readFileSync(new URL(p, dir), "utf8");

type Store = "classic" | "containerd";
const info = (s: Store) => json<EngineInfo>(`${s}/info.json`);
const version = (s: Store) => json<EngineVersion>(`${s}/version.json`);
const inspect = (s: Store) => json<ImageInspect>(`${s}/inspect-redis.json`);

/** A Docker client answering from the fixtures; records the inspect calls. */
function engine(s: Store, calls: { ref: string; manifests?: boolean }[] = []): DockerClient {
  const full = inspect(s);
  return {
    info: () => Promise.resolve(info(s)),
    version: () => Promise.resolve(version(s)),
    images: {
      inspect: (ref: string, opts?: { manifests?: boolean }) => {
        calls.push({ ref, ...opts });
        if (ref !== "redis:7") return Promise.reject(Object.assign(new Error("No such image"), { statusCode: 404 }));
        // Without `manifests` the engine leaves the list out.
        const { Manifests: _manifests, ...rest } = full;
        return Promise.resolve(opts?.manifests ? full : rest);
      },
    },
  } as unknown as DockerClient;
}

const MAN = inspect("containerd").Manifests!.find((m) => m.Kind === "image" && m.Available)!.ID;

describe("the engine's store, from docker info / docker version", () => {
  it("tells the containerd store by DriverStatus driver-type", () => {
    expect(usesContainerdStore(info("containerd"))).toBe(true);
    expect(usesContainerdStore(info("classic"))).toBe(false);
  });

  it("saves one platform only from the containerd store (API 1.51 here)", async () => {
    expect(await savePlatform(engine("containerd"))).toEqual({ platform: { os: "linux", architecture: "amd64" } });
    expect(await savePlatform(engine("classic"))).toEqual({});
  });
});

describe("exportedDigest (what the node's ref will point at)", () => {
  it("containerd store, one platform saved: that platform's available image manifest, not the index Id nor the attestation", () => {
    const i = inspect("containerd");
    expect(i.Id).toBe(i.Descriptor!.digest);
    expect(exportedDigest(i, { os: "linux", architecture: "amd64" })).toBe(MAN);
    expect(MAN).not.toBe(i.Id);
  });

  it("a platform the engine lacks, or an index without Manifests: unknown", () => {
    expect(exportedDigest(inspect("containerd"), { os: "linux", architecture: "arm64" })).toBeUndefined();
    const { Manifests: _m, ...noList } = inspect("containerd");
    expect(exportedDigest(noList, { os: "linux", architecture: "amd64" })).toBeUndefined();
  });

  it("a single-manifest image: its Id is the manifest; no platform saved (API < 1.48): the whole target, the Id", () => {
    const single: ImageInspect = { Id: MAN, Descriptor: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: MAN, size: 1866 } };
    expect(exportedDigest(single, { os: "linux", architecture: "amd64" })).toBe(MAN);
    expect(exportedDigest(inspect("containerd"))).toBe(inspect("containerd").Id);
  });
});

describe("withExportedDigests + planNode, per store", () => {
  it("classic store: no inspect, compared by config digest through the CRI's ID name: present", async () => {
    const calls: { ref: string }[] = [];
    const images = await withExportedDigests(engine("classic", calls), [{ ref: "redis:7", id: inspect("classic").Id }]);
    expect(calls).toEqual([]);
    expect(images[0]!.digest).toBeUndefined();
    expect(planNode(parseImageList(text("classic/ctr-images-ls.txt")), images).get("redis:7")).toEqual({ kind: "present" });
  });

  it("containerd store: the index Id alone never matched (the old check re-imported every time)", () => {
    const rows = parseImageList(text("containerd/ctr-images-ls.txt"));
    const action = planNode(rows, [{ ref: "redis:7", id: inspect("containerd").Id }]).get("redis:7");
    // verify reads the manifest's config digest, which is never the index digest → import.
    expect(action).toEqual({ kind: "verify", digest: MAN });
  });

  it("containerd store: inspected with manifests, compared by the exported manifest digest: present", async () => {
    const calls: { ref: string; manifests?: boolean }[] = [];
    const images = await withExportedDigests(engine("containerd", calls), [{ ref: "redis:7", id: inspect("containerd").Id }]);
    expect(calls).toEqual([{ ref: "redis:7", manifests: true }]);
    expect(images[0]).toEqual({ ref: "redis:7", id: inspect("containerd").Id, digest: MAN });
    expect(planNode(parseImageList(text("containerd/ctr-images-ls.txt")), images).get("redis:7")).toEqual({ kind: "present" });
  });

  it("containerd store: held under another name → retag from it; changed or absent → import", () => {
    const rows = parseImageList(text("containerd/ctr-images-ls.txt"));
    expect(planNode(rows, [{ ref: "redis:7-alpine", id: "x", digest: MAN }]).get("redis:7-alpine")).toEqual({ kind: "tag", from: "docker.io/library/redis:7" });
    const other = `sha256:${"f".repeat(64)}`;
    expect(planNode(rows, [{ ref: "redis:7", id: "x", digest: other }]).get("redis:7")).toEqual({ kind: "import" });
    expect(planNode(parseImageList("REF TYPE DIGEST SIZE PLATFORMS LABELS\n"), [{ ref: "redis:7", id: "x", digest: MAN }]).get("redis:7")).toEqual({ kind: "import" });
  });

  it("an image the engine lacks keeps the config check (the save then names the problem)", async () => {
    const images = await withExportedDigests(engine("containerd"), [{ ref: "gone:1", id: "sha256:1" }]);
    expect(images).toEqual([{ ref: "gone:1", id: "sha256:1" }]);
  });
});

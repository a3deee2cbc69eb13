// Push stream accounting, registry names, loader summaries and engine capability detection.
import { describe, expect, it } from "vitest";
import { summarizePush } from "../../../src/images/registry-loader.js";
import { registryRef, resolveImageRef } from "../../../src/images/refs.js";
import { apiAtLeast, builderFromPing, enginePlatform, usesContainerdStore } from "../../../src/images/engine.js";
import { describeReports, formatBytes } from "../../../src/images/loader.js";

describe("summarizePush", () => {
  it("counts pushed layers and their size, not layers the registry had", () => {
    const s = summarizePush([
      { status: "The push refers to repository [localhost:5001/acme/api]" },
      { status: "Preparing", id: "l1" },
      { status: "Preparing", id: "l2" },
      { status: "Pushing", id: "l2", progressDetail: { current: 512, total: 2048 } },
      { status: "Pushing", id: "l2", progressDetail: { current: 2048, total: 2048 } },
      { status: "Layer already exists", id: "l1" },
      { status: "Pushed", id: "l2" },
      { status: "devenv-abc: digest: sha256:00 size: 739" },
    ]);
    expect(s).toEqual({ layersPushed: 1, layersSkipped: 1, bytes: 2048, error: undefined });
  });

  it("keeps the first error", () => {
    expect(summarizePush([{ errorDetail: { message: "connection refused" }, error: "connection refused" }, { error: "later" }]).error).toBe("connection refused");
  });
});

describe("registryRef", () => {
  it.each([
    ["acme/api:devenv-1", "localhost:5001/acme/api:devenv-1"],
    ["postgres:16", "localhost:5001/postgres:16"],
    ["docker.io/library/postgres:16", "localhost:5001/postgres:16"],
    ["registry.k8s.io/ingress-nginx/controller:v1.15.1", "localhost:5001/ingress-nginx/controller:v1.15.1"],
  ])("%s → %s", (ref, want) => expect(registryRef(ref, "localhost:5001")).toBe(want));

  it("resolveImageRef still maps built repositories and overrides", () => {
    const built = [{ name: "api", repository: "acme/api", ref: "acme/api:devenv-1", id: "sha256:x", built: true }];
    expect(resolveImageRef("acme/api:latest", built, {})).toBe("acme/api:devenv-1");
    expect(resolveImageRef("redis:7", built, { "redis:7": "local/redis:7" })).toBe("local/redis:7");
  });
});

describe("engine detection", () => {
  it("uses BuildKit only when /_ping advertises Builder-Version 2", () => {
    expect(builderFromPing({ "builder-version": "2" })).toBe("2");
    expect(builderFromPing({ "builder-version": "1" })).toBe("1");
    expect(builderFromPing({})).toBe("1"); // Docker 20.10 with the classic builder sends no header
  });

  it("sees the containerd image store in docker info's driver status", () => {
    expect(usesContainerdStore({ Driver: "overlayfs", DriverStatus: [["driver-type", "io.containerd.snapshotter.v1"]] })).toBe(true);
    expect(usesContainerdStore({ Driver: "overlay2", DriverStatus: [["Backing Filesystem", "extfs"]] })).toBe(false);
    expect(usesContainerdStore({})).toBe(false);
  });

  it("compares API versions numerically (save --platform needs 1.48)", () => {
    expect(apiAtLeast("1.41", "1.48")).toBe(false);
    expect(apiAtLeast("1.48", "1.48")).toBe(true);
    expect(apiAtLeast("1.51", "1.48")).toBe(true);
    expect(apiAtLeast("2.0", "1.48")).toBe(true);
  });

  it("names the engine's platform like docker does", () => {
    expect(enginePlatform({ OSType: "linux", Architecture: "x86_64" })).toBe("linux/amd64");
    expect(enginePlatform({ OSType: "linux", Architecture: "aarch64" })).toBe("linux/arm64");
  });
});

describe("describeReports", () => {
  it("groups by target", () => {
    expect(
      describeReports([
        { target: "n1", ref: "a:1", action: "imported", bytes: 3 * 1024 * 1024 },
        { target: "n1", ref: "b:1", action: "present", bytes: 0 },
        { target: "localhost:5001", ref: "a:1", action: "pushed", bytes: 2048, layersPushed: 1 },
      ]),
    ).toEqual(["n1: a:1 (imported, 3.0 MB), b:1 (present)", "localhost:5001: a:1 (pushed, 2.0 kB, 1 layer)"]);
    expect(formatBytes(512)).toBe("0.5 kB");
  });
});

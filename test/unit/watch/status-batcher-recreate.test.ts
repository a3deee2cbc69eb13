import { describe, expect, it } from "vitest";
import type { ContainerInspect } from "../../../src/docker/client.js";
import { formatStatus } from "../../../src/watch/status.js";
import { Batcher } from "../../../src/watch/watcher.js";
import { ownConfig, recreateOptions } from "../../../src/watch/recreate.js";
import { supervisorEntrypoint } from "../../../src/images/process-supervisor.js";
import { planWatch } from "../../../src/watch/start.js";
import { pickContainers } from "../../../src/watch/docker-target.js";
import type { FileChange } from "../../../src/watch/plan.js";
import { envWith } from "./fixtures.js";

describe("formatStatus", () => {
  const base = { image: "web", files: 2, deletes: 0, targets: ["container shop-web-1"], ms: 84.4, errors: [] };
  it("a sync", () => expect(formatStatus({ ...base, kind: "sync" })).toBe("↻ web: synced 2 files → container shop-web-1 in 84 ms"));
  it("deletions, many targets, seconds", () =>
    expect(formatStatus({ ...base, kind: "sync", files: 1, deletes: 3, ms: 1530, targets: ["pod a/x", "pod b/x", "pod c/x", "pod d/x"] })).toBe("↻ web: synced 1 file, 3 deleted → pod a/x, pod b/x, pod c/x +1 more in 1.5 s"));
  it("the initial sync with an error", () => expect(formatStatus({ ...base, kind: "initial", errors: [new Error("x")] })).toBe("✗ web: initial sync 2 files → container shop-web-1 in 84 ms (1 error)"));
  it("no running container", () => expect(formatStatus({ ...base, kind: "sync", targets: [] })).toContain("→ no running container"));
  it("a rebuild", () => expect(formatStatus({ ...base, kind: "rebuild", reason: "Dockerfile is not covered by a sync rule", ms: 7100 })).toBe("↻ web: rebuilt (Dockerfile is not covered by a sync rule) → replaced container shop-web-1 in 7.1 s"));
});

describe("Batcher", () => {
  it("hands over one batch after a quiet period, with the first event's time", async () => {
    const batches: { changes: FileChange[]; first: number }[] = [];
    const b = new Batcher(30, 1000, new Set(), (changes, first) => batches.push({ changes, first }));
    const before = performance.now();
    b.push({ path: "a", kind: "change" });
    await new Promise((r) => setTimeout(r, 10));
    b.push({ path: "b", kind: "delete" });
    expect(batches).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 80));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.changes.map((c) => c.path)).toEqual(["a", "b"]);
    expect(batches[0]!.first).toBeGreaterThanOrEqual(before);
  });

  it("a continuous burst still flushes after maxWaitMs", async () => {
    const batches: FileChange[][] = [];
    const b = new Batcher(40, 60, new Set(), (changes) => batches.push(changes));
    for (let i = 0; i < 8; i++) {
      b.push({ path: `f${i}`, kind: "change" });
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(batches.length).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 80));
    expect(batches.flat()).toHaveLength(8);
  });
});

describe("recreateOptions", () => {
  const image = { Env: ["PATH=/usr/bin", "GREETING=v1"], Cmd: ["node", "server.js"], WorkingDir: "/app", Labels: { maintainer: "x" }, ExposedPorts: { "8080/tcp": {} } };
  const info = {
    Id: "0123456789abcdef",
    Name: "/shop-web-1",
    Image: "sha256:old",
    Config: { ...image, Env: ["PATH=/usr/bin", "GREETING=v1", "DATABASE_URL=postgres://db"], Labels: { maintainer: "x", "com.docker.compose.project": "shop" }, Hostname: "0123456789ab" },
    HostConfig: { NetworkMode: "shop_default", PortBindings: { "8080/tcp": [{ HostPort: "8080" }] } },
    NetworkSettings: { Networks: { shop_default: { Aliases: ["web", "0123456789ab"], IPAddress: "172.18.0.3" }, extra: { Aliases: ["web"] } } },
  } as unknown as ContainerInspect;

  it("keeps the container's own settings and drops what came from the old image", () => {
    const own = ownConfig(info.Config, image);
    expect(own.Env).toEqual(["DATABASE_URL=postgres://db"]);
    expect(own.Labels).toEqual({ "com.docker.compose.project": "shop" });
    expect(own).not.toHaveProperty("Cmd");
    expect(own).not.toHaveProperty("WorkingDir");
  });

  it("keeps overrides of image defaults (a compose `command`)", () => {
    expect(ownConfig({ ...info.Config, Cmd: ["node", "other.js"] }, image).Cmd).toEqual(["node", "other.js"]);
  });

  it("under the process supervisor, the argv taken from the old image becomes the new image's; a service's own is kept", () => {
    const supervised = { ...info.Config, Entrypoint: supervisorEntrypoint(), Cmd: ["node", "server.js"] };
    const newImage = { ...image, Cmd: ["node", "main.js"] };
    // Docker drops the image's CMD when the create call names an Entrypoint: the Cmd must stay explicit.
    expect(ownConfig(supervised, image, newImage)).toMatchObject({ Entrypoint: supervisorEntrypoint(), Cmd: ["node", "main.js"] });
    expect(ownConfig({ ...supervised, Cmd: ["node", "worker.js"] }, image, newImage).Cmd).toEqual(["node", "worker.js"]);
  });

  it("same name, ports and primary network; other networks connected after; the stale ID alias dropped", () => {
    const { create, extraNetworks } = recreateOptions(info, "shop/web:devenv-new", image);
    expect(create.name).toBe("shop-web-1");
    expect(create.Image).toBe("shop/web:devenv-new");
    expect(create.HostConfig).toEqual(info.HostConfig);
    expect(create.NetworkingConfig).toEqual({ EndpointsConfig: { shop_default: { Aliases: ["web"], Links: undefined, IPAMConfig: undefined } } });
    expect(extraNetworks.map(([n]) => n)).toEqual(["extra"]);
  });
});

describe("planWatch", () => {
  it("one line per image: what is watched, synced, run after and rebuilt on", () => {
    const env = envWith({ sync: [{ from: "src", to: "/app/src" }], afterSync: { exec: ["kill", "-HUP", "1"] }, rebuildOn: ["package.json"] });
    expect(planWatch({ env, target: "compose" })).toEqual(["web: watch web (debounce 50 ms) · sync src → /app/src · then exec kill -HUP 1 · rebuild on package.json → compose containers"]);
    expect(planWatch({ env: envWith({}), target: "cluster" })[0]).toBe("web: watch web (debounce 50 ms) · sync none · then none · rebuild on Dockerfile and anything not synced → pods in namespace demo");
  });
});

describe("pickContainers", () => {
  const image = { id: "sha256:new", ref: "shop/web:devenv-new", repository: "shop/web" };
  const c = (Image: string, ImageID: string, project?: string) => ({ Image, ImageID, Labels: (project ? { "com.docker.compose.project": project } : {}) as Record<string, string> });
  it("matches by image ID, content tag or repository", () => {
    const list = [c("sha256:new", "sha256:new"), c("shop/web:devenv-new", "sha256:x"), c("shop/web:devenv-old", "sha256:old"), c("shop/webx", "sha256:y"), c("postgres:16", "sha256:pg")];
    expect(pickContainers(list, image).map((x) => x.Image)).toEqual(["sha256:new", "shop/web:devenv-new", "shop/web:devenv-old"]);
  });
  it("prefers the environment's compose project when it has containers of the image", () => {
    const list = [c("shop/web:devenv-new", "sha256:new", "shop"), c("shop/web:devenv-new", "sha256:new", "other")];
    expect(pickContainers(list, image, "shop").map((x) => x.Labels["com.docker.compose.project"])).toEqual(["shop"]);
    expect(pickContainers(list, image, "absent")).toHaveLength(2);
  });
});

// Manifests that mount the node's Docker socket (CodeBeaker's worker): kind/k3d nodes get the
// host's socket (kind extraMounts, k3d volumes), the dry-run plan says so, `existing` is refused.
import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { loadEnv } from "../../../src/config/load.js";
import { kindConfigYaml } from "../../../src/cluster/kind-config.js";
import { k3dConfigYaml } from "../../../src/cluster/k3d-config.js";
import { dockerSocketUsers } from "../../../src/kube/host-sockets.js";
import { renderManifests } from "../../../src/kube/render.js";
import { ensureClusterStep } from "../../../src/up/steps/cluster.js";
import type { UpContext } from "../../../src/up/context.js";
import { testEnv } from "./env.js";

const socket = [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }];

async function codebeaker(provider: "kind" | "k3d" | "existing"): Promise<UpContext> {
  const env = await loadEnv("fixtures/codebeaker/devenv.ts", resolve("."));
  env.config.cluster = { ...env.config.cluster, provider, ...(provider === "existing" ? { context: "some-context" } : {}) };
  return { env, target: "cluster", dryRun: true, yes: true, verbose: false, watch: false, images: new Map(), log: () => {} };
}

describe("the Docker socket in the nodes", () => {
  it("CodeBeaker's worker mounts it with a hostPath", async () => {
    const ctx = await codebeaker("kind");
    expect(dockerSocketUsers(await renderManifests(ctx.env, ctx.images))).toEqual(["Deployment/codebeaker-worker"]);
  });

  it("kind: the plan's config mounts the host's socket into every node, and the plan says why", async () => {
    const lines = (await ensureClusterStep.plan(await codebeaker("kind"))).join("\n");
    expect(lines).toMatch(/extraMounts:\n\s+- hostPath: \/var\/run\/docker.sock\n\s+containerPath: \/var\/run\/docker.sock/);
    expect(lines).toContain("mount the host's Docker socket /var/run/docker.sock into every node (kind extraMounts): Deployment/codebeaker-worker mounts it");
  });

  it("k3d: a volume on every server and agent", async () => {
    const lines = (await ensureClusterStep.plan(await codebeaker("k3d"))).join("\n");
    expect(lines).toContain("volume: /var/run/docker.sock:/var/run/docker.sock");
    expect(lines).toContain("(k3d volumes)");
  });

  it("existing: refused before anything, with the reason", async () => {
    const err = await Promise.resolve(ensureClusterStep.plan(await codebeaker("existing"))).then(() => undefined, (e: unknown) => e as { message: string; hint?: string });
    expect(err?.message).toContain("Deployment/codebeaker-worker mounts the node's Docker socket (hostPath /var/run/docker.sock), which devenv cannot provide on an existing cluster");
  });

  it("goldens: kind extraMounts and k3d volumes for the socket", async () => {
    await expect(kindConfigYaml(testEnv({ cluster: { mounts: socket } }).config.cluster, "/project")).toMatchFileSnapshot("__golden__/kind-docker-socket.yaml");
    await expect(k3dConfigYaml(testEnv({ cluster: { provider: "k3d", mounts: socket } }).config.cluster, "/project")).toMatchFileSnapshot("__golden__/k3d-docker-socket.yaml");
  });
});

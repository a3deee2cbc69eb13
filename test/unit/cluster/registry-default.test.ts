// The local registry by default (issue 19): `up --dry-run` for a fresh kind and a fresh k3d config
// plans it, opting out plans node import; the pure parts of the fallback, the container, the
// KEP-1755 ConfigMap reading, the doctor's port verdict and the registry's tag collection.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { devenv } from "../../helpers/cli.js";
import { clusterPlan, registryFallbackLines } from "../../../src/cluster/ensure.js";
import { loadImagesStep } from "../../../src/up/steps/images.js";
import type { UpContext } from "../../../src/up/context.js";
import { registryContainerSpec, registryVolume } from "../../../src/cluster/registry.js";
import { imageRegistryFor, managedRegistry, parseLocalRegistryHosting } from "../../../src/cluster/registry-hosting.js";
import { DevenvError } from "../../../src/errors/devenv-error.js";
import { registryImageVerdict, registryPortVerdict } from "../../../src/doctor/provider-checks.js";
import { planRegistryCollection } from "../../../src/images/registry-gc.js";
import { testEnv } from "./env.js";

type Plan = { steps: { id: string; actions: string[] }[] };

describe("up --dry-run plans the local registry by default", { timeout: 60_000 }, () => {
  const dirs: string[] = [];
  const project = (cluster: string) => {
    const dir = mkdtempSync(join(tmpdir(), "devenv-reg-"));
    dirs.push(dir);
    writeFileSync(join(dir, "devenv.ts"), `export default { name: "demo", cluster: ${cluster}, images: { api: { image: "acme/api", context: "." } } };\n`);
    writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n");
    return dir;
  };
  const plan = async (cluster: string) => {
    const r = await devenv(["up", "--dry-run", "--json", "--only", "ensure-cluster,load-images"], { cwd: project(cluster), env: { DEVENV_IMAGE_OVERRIDES: "registry:2=devenv-local/registry:2" } });
    expect(r.code, r.stderr).toBe(0);
    const steps = (JSON.parse(r.stdout) as Plan).steps;
    return { cluster: steps.find((s) => s.id === "ensure-cluster")!.actions, load: steps.find((s) => s.id === "load-images")!.actions };
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it("fresh kind: the registry container, the certs.d patch for hosts.toml, and a push", async () => {
    const p = await plan(`{ provider: "kind" }`);
    expect(p.cluster).toContain(
      `local registry container "devenv-registry" (image devenv-local/registry:2, storage in volume devenv-registry-data) on localhost:5001, joined to network kind, hosts.toml on each node; devenv's images are pushed there (only changed layers travel)`,
    );
    expect(p.cluster.map((l) => l.trim())).toContain('config_path = "/etc/containerd/certs.d"');
    expect(p.load[0]).toMatch(/^push to the local registry localhost:5001 \(only the layers it lacks.*\): acme\/api \(content tags\)$/);
  });

  it("fresh k3d: the registry container, the registries.yaml mirror, and a push", async () => {
    const p = await plan(`{ provider: "k3d" }`);
    expect(p.cluster.some((l) => l.startsWith(`local registry container "devenv-registry" (image devenv-local/registry:2, storage in volume devenv-registry-data) on localhost:5001, joined to network k3d-devenv;`))).toBe(true);
    expect(p.cluster.map((l) => l.trim())).toContain("- http://devenv-registry:5000");
    expect(p.load[0]).toMatch(/^push to the local registry localhost:5001 /);
  });

  it("opted out: no registry, the images are imported into the nodes", async () => {
    const env = testEnv({ cluster: { registry: { enabled: false } }, images: { api: { image: "acme/api", context: "." } } });
    const lines = await clusterPlan(env);
    expect(lines).toContain("no local registry (cluster.registry.enabled: false): devenv's images are imported into each node");
    expect(lines.some((l) => l.includes("config_path"))).toBe(false);
    const ctx = { env, target: "cluster", images: new Map() } as unknown as UpContext;
    expect((await loadImagesStep.plan(ctx))[0]).toMatch(/^import into each kind node of cluster devenv/);
  });
});

describe("the registry's pieces", () => {
  it("is on for kind and k3d, off when opted out; existing asks cluster.registry.host or the cluster", async () => {
    expect(managedRegistry(testEnv().config.cluster)).toEqual({ push: "localhost:5001", pull: "localhost:5001", source: "devenv" });
    expect(managedRegistry(testEnv({ cluster: { provider: "k3d", registry: { port: 5050 } } }).config.cluster)).toMatchObject({ push: "localhost:5050" });
    expect(managedRegistry(testEnv({ cluster: { registry: { enabled: false } } }).config.cluster)).toBeUndefined();
    expect(managedRegistry(testEnv({ cluster: { provider: "existing", context: "c" } }).config.cluster)).toBeUndefined();
    const named = testEnv({ cluster: { provider: "existing", context: "c", registry: { host: "registry.dev:5000" } } });
    expect(await imageRegistryFor(named, () => Promise.reject(new Error("not asked")))).toEqual({ push: "registry.dev:5000", pull: "registry.dev:5000", source: "devenv.ts" });
    expect(await imageRegistryFor(testEnv({ cluster: { provider: "existing", context: "c", registry: { enabled: false } } }), () => Promise.reject(new Error("not asked")))).toBeUndefined();
  });

  it("reads localRegistryHosting.v1 as KEP-1755 writes it", () => {
    expect(parseLocalRegistryHosting('host: "localhost:5001"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n')).toEqual({ host: "localhost:5001", help: "https://kind.sigs.k8s.io/docs/user/local-registry/" });
    expect(parseLocalRegistryHosting("host: localhost:5000\nhostFromContainerRuntime: registry:5000\nhostFromClusterNetwork: registry.kube-system:5000\n")).toMatchObject({ host: "localhost:5000", hostFromContainerRuntime: "registry:5000", hostFromClusterNetwork: "registry.kube-system:5000" });
    expect(parseLocalRegistryHosting(undefined)).toBeUndefined();
    expect(parseLocalRegistryHosting("help: only a help link\n")).toBeUndefined(); // no host: nothing to push to
    expect(() => parseLocalRegistryHosting("- a list\n")).toThrow("not a YAML mapping");
  });

  it("the container: named volume for the storage, deletes on, loopback port, devenv's label", () => {
    const spec = registryContainerSpec({ enabled: true, name: "devenv-registry", port: 5001 }, "devenv-local/registry:2");
    expect(registryVolume({ name: "devenv-registry" })).toBe("devenv-registry-data");
    expect(spec).toMatchObject({ name: "devenv-registry", Image: "devenv-local/registry:2", Env: ["REGISTRY_STORAGE_DELETE_ENABLED=true"], Labels: { "dev.devenv.registry": "true" } });
    expect(spec.HostConfig.PortBindings).toEqual({ "5000/tcp": [{ HostIp: "127.0.0.1", HostPort: "5001" }] });
    expect(spec.HostConfig.Mounts).toEqual([{ Type: "volume", Source: "devenv-registry-data", Target: "/var/lib/registry", VolumeOptions: { Labels: { "dev.devenv.registry": "true" } } }]);
  });

  it("the fallback warning names the cause, the cost and the fix", () => {
    const e = new DevenvError("host port 5001 (cluster.registry.port) is already in use by container other", { hint: "stop container other, or set cluster.registry.port in devenv.ts to a free port (e.g. 5002)" });
    expect(registryFallbackLines({ name: "devenv-registry", port: 5001 }, e)).toEqual([
      "warning: the local registry devenv-registry (localhost:5001) cannot start: host port 5001 (cluster.registry.port) is already in use by container other",
      "  this run imports the images into each node instead (every load sends the whole image, not only the changed layers)",
      "  fix: stop container other, or set cluster.registry.port in devenv.ts to a free port (e.g. 5002)",
      "  or opt out for good: cluster.registry.enabled: false in devenv.ts",
    ]);
  });

  it("doctor: the registry port free, held by this registry, or by something else (up falls back)", () => {
    const reg = { name: "devenv-registry", port: 5001 };
    expect(registryPortVerdict(reg, true, undefined).status).toBe("ok");
    expect(registryPortVerdict(reg, false, "container devenv-registry")).toEqual({ status: "ok", detail: "held by this environment's registry (devenv-registry)" });
    const other = registryPortVerdict(reg, false, "python3");
    expect(other).toMatchObject({ status: "warn", detail: expect.stringContaining("in use by python3: the local registry cannot start") });
    expect(other.hint).toContain("set cluster.registry.port in devenv.ts to a free port (e.g. 5002)");
    expect(registryImageVerdict("devenv-local/registry:2", true)).toEqual({ status: "ok", detail: "devenv-local/registry:2 in the local image cache" });
    expect(registryImageVerdict("registry:2", false)).toMatchObject({ status: "warn", detail: expect.stringContaining("offline, it imports images into the nodes instead"), hint: expect.stringContaining("docker pull registry:2") });
  });

  it("tag collection keeps the newest content tags, other tags, and every digest a kept tag shares", () => {
    const t = (tag: string, digest: string, created: number) => ({ tag, digest, created });
    const tags = [t("devenv-00000000000a", "sha256:a", 1), t("devenv-00000000000b", "sha256:b", 2), t("devenv-00000000000c", "sha256:c", 3), t("devenv-00000000000d", "sha256:d", 4), t("devenv-00000000000e", "sha256:e", 5), t("latest", "sha256:a", 1)];
    const plan = planRegistryCollection(tags, 3);
    expect(plan.keep).toEqual(["devenv-00000000000e", "devenv-00000000000d", "devenv-00000000000c"]);
    expect(plan.delete.map((x) => x.tag)).toEqual(["devenv-00000000000b"]); // a: "latest" points at it
    expect(planRegistryCollection(tags, 3, ["devenv-00000000000b"]).delete).toEqual([]);
    expect(planRegistryCollection(tags.slice(0, 3), 3).delete).toEqual([]);
  });
});

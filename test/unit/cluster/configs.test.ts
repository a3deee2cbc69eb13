// Golden tests of the generated kind and k3d configs, per option.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { kindConfigYaml, nodeLabelPatch } from "../../../src/cluster/kind-config.js";
import { k3dConfigYaml } from "../../../src/cluster/k3d-config.js";
import { testEnv } from "./env.js";

const full = {
  cluster: {
    name: "shop",
    workers: 2,
    ports: { http: 8080, https: 8443 },
    nodeImage: "kindest/node:v1.33.1",
    k3sVersion: "v1.33.1-k3s1",
    registry: { enabled: true, port: 5001 },
    mounts: [{ hostPath: "services/api", containerPath: "/src/api" }],
  },
};

describe("kind config", () => {
  it("default: one control plane labelled ingress-ready with 80/443 mapped", async () => {
    const c = testEnv().config.cluster;
    await expect(kindConfigYaml(c, "/project")).toMatchFileSnapshot("__golden__/kind-default.yaml");
  });

  it("workers, custom ports, node image, registry patch and mounts resolved against the root", async () => {
    const yaml = kindConfigYaml(testEnv(full).config.cluster, "/project");
    await expect(yaml).toMatchFileSnapshot("__golden__/kind-full.yaml");
    const doc = parse(yaml);
    expect(doc.nodes).toHaveLength(3);
    expect(doc.nodes[0].extraPortMappings).toEqual([
      { containerPort: 80, hostPort: 8080, listenAddress: "127.0.0.1", protocol: "TCP" },
      { containerPort: 443, hostPort: 8443, listenAddress: "127.0.0.1", protocol: "TCP" },
    ]);
    expect(doc.nodes[1].extraMounts).toEqual([{ hostPath: "/project/services/api", containerPath: "/src/api" }]);
    expect(doc.containerdConfigPatches[0]).toContain('config_path = "/etc/containerd/certs.d"');
  });

  it("labels workers through JoinConfiguration, the first control plane through InitConfiguration (kind#3365)", () => {
    expect(nodeLabelPatch("worker", { "ingress-ready": "true" })).toMatch(/^kind: JoinConfiguration\n/);
    expect(nodeLabelPatch("control-plane", { "ingress-ready": "true" })).toMatch(/^kind: InitConfiguration\n/);
  });
});

describe("k3d config", () => {
  it("default: traefik disabled, ports through the load balancer", async () => {
    const yaml = k3dConfigYaml(testEnv({ cluster: { provider: "k3d" } }).config.cluster, "/project");
    await expect(yaml).toMatchFileSnapshot("__golden__/k3d-default.yaml");
    expect(parse(yaml).options.k3s.extraArgs).toEqual([{ arg: "--disable=traefik", nodeFilters: ["server:*"] }]);
  });

  it("agents, k3s image, registry mirror and volumes", async () => {
    const yaml = k3dConfigYaml(testEnv({ cluster: { ...full.cluster, provider: "k3d" } }).config.cluster, "/project");
    await expect(yaml).toMatchFileSnapshot("__golden__/k3d-full.yaml");
    const doc = parse(yaml);
    expect(doc.agents).toBe(2);
    expect(doc.image).toBe("rancher/k3s:v1.33.1-k3s1");
    expect(parse(doc.registries.config).mirrors["localhost:5001"].endpoint).toEqual(["http://devenv-registry:5000"]);
  });
});

describe("listen address", () => {
  it("binds the ingress ports to 127.0.0.1 unless devenv.ts opens them (kind's default is 0.0.0.0)", () => {
    const kind = parse(kindConfigYaml(testEnv({}).config.cluster, "/project"));
    expect(kind.nodes[0].extraPortMappings.map((m: { listenAddress: string }) => m.listenAddress)).toEqual(["127.0.0.1", "127.0.0.1"]);
    const k3d = parse(k3dConfigYaml(testEnv({ cluster: { provider: "k3d" } }).config.cluster, "/project"));
    expect(k3d.ports.map((p: { port: string }) => p.port)).toEqual(["127.0.0.1:80:80", "127.0.0.1:443:443"]);
    const open = parse(kindConfigYaml(testEnv({ cluster: { listenAddress: "0.0.0.0" } }).config.cluster, "/project"));
    expect(open.nodes[0].extraPortMappings[0].listenAddress).toBe("0.0.0.0");
  });
});

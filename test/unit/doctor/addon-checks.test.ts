// doctor's addon checks: versions against the pinned Kubernetes, the kind node image digest,
// and ingress-nginx's retirement.
import { describe, expect, it } from "vitest";
import { addonChecks, addonVersionsVerdict, ingressVerdict, nfsMountVerdict, nodeImageVerdict } from "../../../src/doctor/addon-checks.js";
import { KIND_NODE_IMAGES, traitsOf } from "../../../src/cluster/traits.js";
import { testEnv } from "../cluster/env.js";

describe("doctor addon checks", () => {
  it("ok when devenv.ts pins a Kubernetes version every addon supports", () => {
    const v = addonVersionsVerdict(testEnv({ cluster: { nodeImage: "kindest/node:v1.34.0" } }));
    expect(v.status).toBe("ok");
    expect(v.detail).toContain("metrics-server v0.9.0 supports Kubernetes v1.34.0 (1.34+)");
  });

  it("warns when the pinned version is outside an addon's range (ingress-nginx 1.15.1 on 1.36)", () => {
    const v = addonVersionsVerdict(testEnv({ cluster: { nodeImage: "kindest/node:v1.36.1" } }));
    expect(v).toMatchObject({ status: "warn", detail: "ingress-nginx v1.15.1 supports Kubernetes 1.31–1.35, not v1.36.1: it may work, but upstream does not test it" });
    const k3d = addonVersionsVerdict(testEnv({ cluster: { provider: "k3d", k3sVersion: "v1.30.4-k3s1" } }));
    expect(k3d.status).toBe("warn"); // ingress-nginx (k3s bundles metrics-server, so only ingress is checked)
    expect(k3d.detail).not.toContain("metrics-server");
  });

  it("fails for a known break", () => {
    expect(addonVersionsVerdict(testEnv({ cluster: { nodeImage: "kindest/node:v1.18.19" } })).status).toBe("fail");
  });

  it("says the check waits for the server when nothing is pinned", () => {
    expect(addonVersionsVerdict(testEnv()).detail).toMatch(/no Kubernetes version pinned in devenv.ts .*`up` checks them against the server/);
  });

  it("kind node image: a tag without digest is a warning naming the digest of each kind release", () => {
    const kind = traitsOf({ provider: "kind" });
    const v = nodeImageVerdict({ nodeImage: "kindest/node:v1.33.1" }, kind)!;
    expect(v.status).toBe("warn");
    expect(v.hint).toBe("use the digest of your kind release: kind v0.28.0: kindest/node:v1.33.1@sha256:8d866994839cd096b3590681c55a6fa4a071fdaf33be7b9660e5697d2ed13002; kind v0.29.0: kindest/node:v1.33.1@sha256:050072256b9a903bd914c0b2866828150cb229cea0efe5892e2b644d5dd3b34f");
    expect(nodeImageVerdict({ nodeImage: KIND_NODE_IMAGES[3].image }, kind)).toEqual({ status: "ok", detail: `${KIND_NODE_IMAGES[3].image} (kind v0.30.0's default image)` });
    expect(nodeImageVerdict({}, kind)!.status).toBe("ok");
    expect(nodeImageVerdict({}, traitsOf({ provider: "k3d" }))).toBeUndefined();
  });

  it("ingress-nginx enabled: a retirement warning; disabled: nothing to say", () => {
    expect(ingressVerdict(testEnv())).toMatchObject({ status: "warn", detail: expect.stringMatching(/^ingress-nginx: retired upstream/) });
    expect(ingressVerdict(testEnv({ addons: { ingress: { enabled: false } } })).status).toBe("ok");
  });

  it("RWX on k3d goes through the shared host directory (ok); NFS on nodes without a mount helper: a warning naming it and the fix", () => {
    const env = testEnv({ cluster: { provider: "k3d" } });
    expect(nfsMountVerdict(env, traitsOf(env.config.cluster))).toMatchObject({ status: "ok", detail: expect.stringContaining("one host directory every node mounts (/var/lib/devenv/rwx)") as string });
    expect(nfsMountVerdict(env, { provider: "k3d", kubeletNfsMount: false, rwx: { via: "nfs" } })).toMatchObject({ status: "warn", detail: expect.stringContaining("carry no NFS mount helper") as string });
    expect(nfsMountVerdict(testEnv(), traitsOf({ provider: "kind" })).status).toBe("ok");
  });

  it("adds the checks only when devenv.ts loaded", () => {
    const env = testEnv();
    expect(addonChecks({ traits: traitsOf(env.config.cluster), ports: env.config.cluster.ports }).map((c) => c.id)).toEqual([]);
    expect(addonChecks({ traits: traitsOf(env.config.cluster), ports: env.config.cluster.ports, env }).map((c) => c.id)).toEqual(["addon-versions", "node-image", "nfs-mount", "ingress-controller"]);
  });
});

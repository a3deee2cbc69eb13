// doctor's provider checks: the verdicts (pure).
import { describe, expect, it } from "vitest";
import { desktopResourcesVerdict, imageStoreVerdict, ingressContainer, portVerdict } from "../../../src/doctor/provider-checks.js";
import { traitsOf } from "../../../src/cluster/traits.js";

const GiB = 2 ** 30;

describe("provider doctor verdicts", () => {
  it("a port held by this environment's own cluster is fine; anything else warns naming the owner", () => {
    const ours = ingressContainer({ traits: traitsOf({ provider: "kind" }), ports: { http: 80, https: 443 }, name: "shop" });
    expect(ours).toBe("shop-control-plane");
    expect(ingressContainer({ traits: traitsOf({ provider: "k3d" }), ports: { http: 80, https: 443 } })).toBe("k3d-devenv-serverlb");
    expect(portVerdict(80, "cluster.ports.http", true, undefined, ours).status).toBe("ok");
    expect(portVerdict(80, "cluster.ports.http", false, "container shop-control-plane", ours)).toEqual({ status: "ok", detail: "held by this environment's cluster (shop-control-plane)" });
    expect(portVerdict(80, "cluster.ports.http", false, "apache2", ours)).toEqual({
      status: "warn",
      detail: "in use by apache2",
      hint: "stop apache2, or set cluster.ports.http in devenv.ts to a free port (kind#1460)",
    });
  });

  it("the containerd image store warns for kind only (kind#3795)", () => {
    const classic = { Driver: "overlay2", DriverStatus: [["Backing Filesystem", "extfs"]] as [string, string][] };
    const snapshotter = { Driver: "overlayfs", DriverStatus: [["driver-type", "io.containerd.snapshotter.v1"]] as [string, string][] };
    expect(imageStoreVerdict(classic, traitsOf({ provider: "kind" }))).toEqual({ status: "ok", detail: "classic image store (overlay2)" });
    expect(imageStoreVerdict(snapshotter, traitsOf({ provider: "kind" }))).toMatchObject({ status: "warn", hint: expect.stringContaining("Use containerd for pulling and storing images") });
    expect(imageStoreVerdict(snapshotter, traitsOf({ provider: "k3d" })).status).toBe("ok");
  });

  it("Docker Desktop under 4 CPUs / 8 GiB warns; other engines are not judged here", () => {
    expect(desktopResourcesVerdict({ OperatingSystem: "Docker Desktop", NCPU: 2, MemTotal: 4 * GiB }, traitsOf({ provider: "kind" }))).toMatchObject({ status: "warn", detail: "2 CPUs, 4.0 GiB on Docker Desktop" });
    expect(desktopResourcesVerdict({ OperatingSystem: "Docker Desktop", NCPU: 8, MemTotal: 16 * GiB }, traitsOf({ provider: "kind" })).status).toBe("ok");
    expect(desktopResourcesVerdict({ OperatingSystem: "Docker Desktop", NCPU: 2, MemTotal: 4 * GiB }, traitsOf({ provider: "existing" })).status).toBe("ok");
    expect(desktopResourcesVerdict({ OperatingSystem: "Debian GNU/Linux 12 (bookworm)", NCPU: 2, MemTotal: 24 * GiB }, traitsOf({ provider: "kind" })).status).toBe("ok");
  });
});

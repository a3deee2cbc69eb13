// addons.lock.yaml is the one source of addon releases: selection by Kubernetes version, the
// supported ranges, and agreement between the lock and the manifests it names.
import { describe, expect, it } from "vitest";
import { addonObjects, addonOptions } from "../../../src/addons/addon-set.js";
import { addonImages } from "../../../src/addons/images.js";
import { checkAddonVersions } from "../../../src/addons/install.js";
import { addonRelease, compatibility, inRange, parseLock, readLock, selectRelease } from "../../../src/addons/lock.js";
import { readAddonManifest } from "../../../src/addons/manifests.js";
import { containerImages } from "../../../src/kube/pod-spec.js";
import { testEnv } from "../cluster/env.js";

describe("addons.lock.yaml", () => {
  it("picks metrics-server v0.9.0 from Kubernetes 1.34 and v0.8.1 below or when unknown", () => {
    expect(addonRelease("metrics-server", "v1.34.0").version).toBe("v0.9.0");
    expect(addonRelease("metrics-server", "v1.35.2").version).toBe("v0.9.0");
    expect(addonRelease("metrics-server", "v1.33.4").version).toBe("v0.8.1");
    expect(addonRelease("metrics-server").version).toBe("v0.8.1");
    expect(addonRelease("metrics-server", "v1.29.0").version).toBe("v0.8.1"); // outside every range: the default
  });

  it("the images load-images preloads are the images install-addons applies, for each Kubernetes version", () => {
    for (const version of [undefined, "v1.31.0", "v1.33.1", "v1.34.0", "v1.35.0"]) {
      const env = testEnv();
      expect(addonImages(env, version).filter((r) => r !== "busybox:1.36")).toEqual(containerImages(addonObjects(addonOptions(env, version))));
    }
    expect(addonImages(testEnv(), "v1.34.0")).toContain("registry.k8s.io/metrics-server/metrics-server:v0.9.0");
    expect(addonImages(testEnv(), "v1.34.0")).not.toContain("registry.k8s.io/metrics-server/metrics-server:v0.8.1");
    // The node image in devenv.ts is used when the server has not answered yet.
    expect(addonImages(testEnv({ cluster: { nodeImage: "kindest/node:v1.34.0" } }))).toContain("registry.k8s.io/metrics-server/metrics-server:v0.9.0");
  });

  it("every release's manifest runs the images the lock lists (or devenv sets them from the lock)", () => {
    for (const [name, addon] of Object.entries(readLock())) {
      for (const r of addon.releases) {
        if (!r.file) continue;
        const inManifest = containerImages(readAddonManifest(r.file));
        // A release may reuse another release's objects (metrics-server v0.9.0): only the tag differs.
        const repo = (ref: string) => ref.replace(/:[^:/]+$/, "");
        expect(inManifest.map(repo), `${name} ${r.version}`).toEqual(r.images.slice(0, inManifest.length).map(repo));
      }
    }
  });

  it("ranges are inclusive minor versions", () => {
    expect(inRange("v1.31.0", { min: "1.31", max: "1.35" })).toBe(true);
    expect(inRange("v1.35.9", { min: "1.31", max: "1.35" })).toBe(true);
    expect(inRange("v1.36.0", { min: "1.31", max: "1.35" })).toBe(false);
    expect(inRange("v1.30.5-k3s1", { min: "1.31" })).toBe(false);
    expect(inRange("garbage", { min: "1.31" })).toBeUndefined();
  });

  it("compatibility: ok inside the range, a warning outside, an error for a known break", () => {
    const ingress = addonRelease("ingress-nginx");
    expect(compatibility("ingress-nginx", ingress, "v1.33.1").level).toBe("ok");
    expect(compatibility("ingress-nginx", ingress, "v1.36.0")).toEqual({ level: "warning", message: "ingress-nginx v1.15.1 supports Kubernetes 1.31–1.35, not v1.36.0: it may work, but upstream does not test it" });
    expect(compatibility("ingress-nginx", ingress, "v1.30.0").level).toBe("warning");
    expect(compatibility("ingress-nginx", ingress, "v1.18.0").level).toBe("error");
    expect(compatibility("metrics-server", addonRelease("metrics-server", "v1.30.0"), "v1.30.0").message).toBe("metrics-server v0.8.1 supports Kubernetes 1.31+, not v1.30.0: it may work, but upstream does not test it");
  });

  it("checkAddonVersions reports warnings and throws on a known break", () => {
    const lines: string[] = [];
    checkAddonVersions(addonOptions(testEnv(), "v1.36.0"), (l) => lines.push(l));
    expect(lines).toEqual(["warning: ingress-nginx v1.15.1 supports Kubernetes 1.31–1.35, not v1.36.0: it may work, but upstream does not test it"]);
    expect(() => checkAddonVersions(addonOptions(testEnv(), "v1.18.0"), () => {})).toThrow(/ingress-nginx v1.15.1 does not work on Kubernetes v1.18.0/);
  });

  it("rejects a malformed lock", () => {
    expect(() => parseLock("addons:\n  x:\n    releases: []\n")).toThrow(/x has no releases/);
    expect(() => parseLock("addons:\n  x:\n    releases:\n      - { version: v1, images: [a] }\n")).toThrow(/exactly one release marked default/);
    expect(selectRelease(parseLock("addons:\n  x:\n    releases:\n      - { version: v1, images: [a], default: true }\n")["x"]!, "v1.30.0").version).toBe("v1");
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseSnapshotter } from "../../../src/images/containerd-config.js";

const dump = (name: string) => readFileSync(new URL(`../../fixtures/containerd/${name}`, import.meta.url), "utf8");

describe("parseSnapshotter (containerd config dump as TOML)", () => {
  it("reads config version 2 (containerd 1.x, double quotes)", () => {
    expect(parseSnapshotter(dump("config-dump-v2.toml"))).toBe("overlayfs");
  });

  it("reads config version 3 (containerd 2.x, single quotes) from the cri.v1.images plugin, not the v2 path", () => {
    expect(parseSnapshotter(dump("config-dump-v3.toml"))).toBe("native");
  });

  it("reads config version 4 (containerd 2.1+) like version 3", () => {
    expect(parseSnapshotter("version = 4\n[plugins.'io.containerd.cri.v1.images']\nsnapshotter = 'btrfs'\n")).toBe("btrfs");
  });

  it("leaves ctr's default when the dump says nothing usable", () => {
    expect(parseSnapshotter("")).toBeUndefined();
    expect(parseSnapshotter("not = [toml")).toBeUndefined();
    expect(parseSnapshotter("version = 9\n")).toBeUndefined();
    expect(parseSnapshotter("version = 3\n[plugins]\n")).toBeUndefined();
  });
});

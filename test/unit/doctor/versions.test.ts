import { describe, expect, it } from "vitest";
import { compareVersions, parseVersion } from "../../../src/exec/tool-version.js";

describe("doctor version helpers", () => {
  it("reads versions from each tool's own output", () => {
    expect(parseVersion("kind v0.29.0 go1.24.2 linux/amd64")).toBe("0.29.0");
    expect(parseVersion("k3d version v5.8.3\nk3s version v1.31.5-k3s1 (default)")).toBe("5.8.3");
    expect(parseVersion("Client Version: v1.32.4-dispatcher\nKustomize Version: v5.5.0")).toBe("1.32.4");
    expect(parseVersion("no digits here")).toBeUndefined();
  });
  it("compares dotted versions numerically", () => {
    expect(compareVersions("0.20.0", "0.9.9")).toBe(1);
    expect(compareVersions("v1.27", "1.27.0")).toBe(0);
    expect(compareVersions("5.5.9", "5.6.0")).toBe(-1);
  });
});

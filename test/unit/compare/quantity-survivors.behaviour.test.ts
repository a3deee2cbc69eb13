// Resource quantities in compare-compose (issue #21): Kubernetes accepts exponent notation
// with several digits (`1e10`), and compose limits must compare equal to it.
import { describe, expect, it } from "vitest";
import { compareYaml, deployment } from "./compare-yaml.js";

describe("resources.mismatch with exponent quantities", () => {
  it("a memory limit written as the string 1e10 equals compose's 10000000000b; 1e9 does not", () => {
    const compose = "services:\n  api: { image: a/api, deploy: { resources: { limits: { memory: 10000000000b } } } }\n";
    const same = compareYaml(compose, deployment("api", "{ name: api, image: a/api, resources: { limits: { memory: '1e10' } } }"));
    expect(same.findings).toEqual([]);
    expect(same.equivalent).toBe(true);
    const other = compareYaml(compose, deployment("api", "{ name: api, image: a/api, resources: { limits: { memory: '1e9' } } }"));
    expect(other.findings.map((f) => f.rule)).toEqual(["resources.mismatch"]);
  });
});

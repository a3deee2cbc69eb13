// What environment a container gets, as compare-compose judges it (issue #21): a `$` that is not
// `$(`, and a valueFrom source compare cannot read.
import { describe, expect, it } from "vitest";
import { compareYaml, deployment } from "./compare-yaml.js";

const envFindings = (r: ReturnType<typeof compareYaml>) => r.findings.filter((f) => f.rule.startsWith("env."));

describe("env values", () => {
  it("a `$` followed by anything but `(` or `$` is literal, even with a `)` later in the value", () => {
    const r = compareYaml("services:\n  api: { image: a/api, environment: { NOTE: '$$5 (tax)' } }\n", deployment("api", "{ name: api, image: a/api, env: [{ name: NOTE, value: '$5 (tax)' }] }"));
    expect(envFindings(r)).toEqual([]);
    expect(r.equivalent).toBe(true);
  });
  it("a valueFrom source compare cannot read (fileKeyRef, Kubernetes 1.34) is left unjudged, not a crash", () => {
    const r = compareYaml("services:\n  api: { image: a/api, environment: { X: '1' } }\n", deployment("api", "{ name: api, image: a/api, env: [{ name: X, valueFrom: { fileKeyRef: { path: a.env, key: X, volumeName: v } } }] }"));
    expect(envFindings(r)).toEqual([]);
    expect(r.services[0]!.workload).toBe("Deployment/api");
  });
});

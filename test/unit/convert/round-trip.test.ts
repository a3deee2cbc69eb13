// Round-trip property: converting a compose setup and comparing the result with the same
// compose setup finds no drift (errors or warnings), for hand-written and generated stacks.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { convertProject } from "../../../src/convert/convert.js";
import { renderBase } from "../../../src/convert/write.js";
import { generateCompose } from "../../fixtures/compare/generate-stack.js";
import { writeFiles } from "../compose/write-files.js";

const fixtures = fileURLToPath(new URL("../../fixtures/compare", import.meta.url));

function roundTrip(files: string[], cwd: string) {
  const project = loadCompose({ files, cwd, env: {} });
  const converted = convertProject(project, { namespace: "rt" });
  const objects = [...converted.files.values()].flat();
  return { project, converted, result: compareStacks(project, objects, { order: converted.order }) };
}

const live = (r: ReturnType<typeof compareStacks>) => r.findings.filter((f) => f.severity !== "info").map((f) => `${f.rule} ${f.service}: ${f.message}`);

describe("convert → compare round trip", () => {
  it("the pitfalls compose stack (build contexts with Dockerfile HEALTHCHECKs, one-shot migrate, shared volume)", () => {
    const { result, converted } = roundTrip(["compose.yml"], `${fixtures}/pitfalls`);
    expect(live(result)).toEqual([]);
    expect(result.equivalent).toBe(true);
    expect(converted.order).toEqual({}); // backend is a Deployment: devenv's waves run the Job first
    expect(result.services.find((s) => s.service === "backend")!.passed).toContain("runs after Job/migrate (devenv waves: Jobs complete before apps)");
    const kinds = Object.fromEntries([...converted.files.values()].flat().filter((o) => ["Deployment", "StatefulSet", "Job"].includes(o.kind)).map((o) => [o.metadata.name, o.kind]));
    expect(kinds).toEqual({ postgres: "StatefulSet", redis: "StatefulSet", migrate: "Job", backend: "Deployment", worker: "Deployment", "data-collector": "Deployment", frontend: "Deployment" });
    const uploads = converted.files.get("volumes.yaml")!.find((o) => o.metadata.name === "uploads")!;
    expect((uploads.spec as { accessModes: string[] }).accessModes).toEqual(["ReadWriteMany"]);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])("a generated stack (seed %i)", (seed) => {
    const dir = writeFiles({ "compose.yml": generateCompose(seed, 12) });
    const { result } = roundTrip(["compose.yml"], dir);
    expect(live(result)).toEqual([]);
    expect(result.summary.services).toBe(13);
  });

  it("control: a converted stack with one changed value is drift", () => {
    const dir = writeFiles({ "compose.yml": generateCompose(3, 12) });
    const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
    const converted = convertProject(project, { namespace: "rt" });
    const cm = converted.files.get("svc-5.yaml")!.find((o) => o.kind === "ConfigMap")!;
    (cm.data as Record<string, string>).UPSTREAM_URL = "http://svc-3:3003/api";
    const result = compareStacks(project, [...converted.files.values()].flat(), { order: converted.order });
    expect(live(result)).toEqual(['env.value svc-5: UPSTREAM_URL: compose "http://svc-4:3004/api" ≠ k8s "http://svc-3:3003/api" from ConfigMap/svc-5-config']);
    expect(result.services.find((s) => s.service === "svc-5")!.passed.length).toBeGreaterThan(3);
  });

  it("keeps secret values out of the YAML it writes", () => {
    const { converted } = roundTrip(["compose.yml"], `${fixtures}/pitfalls`);
    const files = renderBase(converted, "rt");
    const yaml = [...files].filter(([n]) => n.endsWith(".yaml")).map(([, t]) => t).join("\n");
    expect(yaml).not.toContain("dev-password");
    expect(yaml).toContain("secretGenerator");
    expect(files.get("backend-secret.env")).toContain("POSTGRES_PASSWORD=dev-password");
    expect(files.get(".gitignore")).toContain("*.env");
    expect(files.get("backend-config.env")).toBeUndefined();
  });
});

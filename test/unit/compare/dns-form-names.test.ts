// A compose service whose name is no Kubernetes name (`events_db`) pairs with the workload named
// in Kubernetes form (`events-db`), as convert names it; its drift is then reported, not a
// missing service and a workload without one.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { loadK8sForCompare } from "../../../src/compare/k8s-input.js";

const dir = fileURLToPath(new URL("../../fixtures/compare/issue13/dns-form-names", import.meta.url));

describe("matching by the Kubernetes form of a compose name", () => {
  it("pairs events_db with StatefulSet/events-db and compares them", async () => {
    const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
    const r = compareStacks(project, await loadK8sForCompare([`${dir}/k8s`], dir));
    expect(r.services.map((s) => [s.service, s.workload, s.container, s.matchedBy])).toEqual([
      ["events_db", "StatefulSet/events-db", "store", "name"],
      ["api", "Deployment/api", "api", "name"],
    ]);
    expect(r.findings.map((f) => `${f.rule} ${f.service}`)).toEqual(["image.mismatch events_db"]);
  });
});

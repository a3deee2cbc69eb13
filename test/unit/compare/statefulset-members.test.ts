// Compose services shaped alike (one per member of a cluster, each with its own volumes) are the
// pods of one StatefulSet, up to its replicas; the replicas compare with the number of members.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { loadK8sForCompare } from "../../../src/compare/k8s-input.js";

const dir = fileURLToPath(new URL("../../fixtures/compare/issue13/statefulset-members", import.meta.url));

describe("one compose service per StatefulSet pod", () => {
  it("pairs the members with the set's pods, as many as it has", async () => {
    const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
    const r = compareStacks(project, await loadK8sForCompare([`${dir}/k8s`], dir));
    expect(r.services.map((s) => [s.service, s.workload, s.matchedBy])).toEqual([
      ["store1", "StatefulSet/store", "image"],
      ["store2", "StatefulSet/store", "replica"],
      ["store3", undefined, undefined],
    ]);
    expect(r.findings.map((f) => `${f.rule} ${f.service}`)).toEqual(["service.missing store3"]);
    expect(r.services[0]!.passed).toContain("replicas 2");
  });
});

// A variable compose sets that the container can only get from an envFrom source not in the
// manifests is unresolved (it may be there), not missing; the kubelet refuses to start a container
// whose non-optional envFrom source is absent, so that is said even when no variable depends on it.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { loadK8sForCompare } from "../../../src/compare/k8s-input.js";

const dir = fileURLToPath(new URL("../../fixtures/compare/issue13/envfrom-missing", import.meta.url));

describe("envFrom sources that are not in the manifests", () => {
  it("are named, and the variables they may hold are unresolved", async () => {
    const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
    const r = compareStacks(project, await loadK8sForCompare([`${dir}/k8s`], dir));
    expect(r.findings.map((f) => `${f.severity} ${f.rule} ${f.service}: ${f.message}`)).toEqual([
      'warning env.unresolved api: BASE_URL is set in compose ("http://localhost:8000"); in Pod/api it can only come from Secret/api-config (envFrom), which is not in the manifests',
      'error env.missing worker: LOG_LEVEL is set in compose ("info") but not in Pod/worker',
      "warning env.unresolved cron: Pod/cron takes its environment from ConfigMap/cron-config (envFrom), which is not in the manifests: the container does not start without it",
    ]);
  });
});

// A Service forwards only the ports it lists (Kubernetes ServiceSpec.ports: "The list of ports
// that are exposed by this service"), while compose reaches every port of a service by its name.
// A port compose publishes or exposes, that the container declares but no Service forwards, does
// not connect by name in the cluster: port.no-service, as when no Service selects the pods at
// all. A headless Service (clusterIP: None) resolves to the pods, every port open: no finding.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { loadK8sForCompare } from "../../../src/compare/k8s-input.js";

const dir = fileURLToPath(new URL("../../fixtures/compare/unforwarded-port", import.meta.url));

describe("a compose port no Service forwards", () => {
  it("is port.no-service, naming the ports each side has; a headless Service forwards every port", async () => {
    const r = compareStacks(loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }), await loadK8sForCompare([`${dir}/k8s`], dir));
    expect(r.findings.map((f) => `${f.severity} ${f.rule} ${f.service}: ${f.message}`)).toEqual([
      'warning port.no-service broker: no Service forwards 15672 of Deployment/broker (Service/broker forwards 5672), so "broker:15672" does not connect in the cluster',
    ]);
    expect(r.findings[0]).toMatchObject({ workload: "Deployment/broker", compose: "15672", k8s: "5672" });
  });
});

// The kubelet expands $(VAR) with the variables it derives from Services (enableServiceLinks):
// $(DB_SERVICE_HOST) is defined when Service db has a cluster IP in the pod's namespace. A
// headless Service gives none, nor does a pod that turns the links off; the `kubernetes` Service
// always does.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { loadK8sForCompare } from "../../../src/compare/k8s-input.js";
import { serviceLinkNames } from "../../../src/compare/resolve-env.js";

const dir = fileURLToPath(new URL("../../fixtures/compare/issue13/service-links", import.meta.url));

describe("Service environment variables", () => {
  it("only truly undefined $(VAR) are findings", async () => {
    const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
    const r = compareStacks(project, await loadK8sForCompare([`${dir}/k8s`], dir));
    expect(r.findings.filter((f) => f.rule.startsWith("env.")).map((f) => `${f.rule} ${f.service}: ${f.message}`)).toEqual([
      "env.unexpanded-ref web: CACHE_URL contains $(CACHE_SERVICE_HOST): Kubernetes leaves it literal (not declared earlier in the container's env)",
      "env.unexpanded-ref worker: DB_HOST contains $(DB_SERVICE_HOST): Kubernetes leaves it literal (not declared earlier in the container's env)",
    ]);
  });

  it("names the variables as the kubelet does", () => {
    const svc = { apiVersion: "v1", kind: "Service", metadata: { name: "events-db", namespace: "a" }, spec: { ports: [{ name: "http-api", port: 8123 }, { port: 53, protocol: "UDP" }] } };
    const names = serviceLinkNames([svc], "a", "default", true);
    for (const n of ["EVENTS_DB_SERVICE_HOST", "EVENTS_DB_SERVICE_PORT", "EVENTS_DB_SERVICE_PORT_HTTP_API", "EVENTS_DB_PORT", "EVENTS_DB_PORT_8123_TCP_ADDR", "EVENTS_DB_PORT_53_UDP_PORT", "KUBERNETES_SERVICE_HOST"]) expect(names).toContain(n);
    expect(serviceLinkNames([svc], "b", "default", true)).not.toContain("EVENTS_DB_SERVICE_HOST");
  });
});

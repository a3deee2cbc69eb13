// convert: a compose service that joins another's network (network_mode: service:X) becomes a
// container of X's pod (containers of one pod share localhost), not a workload of its own; the
// round trip compares equal.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { convertProject } from "../../../src/convert/convert.js";

const dir = fileURLToPath(new URL("../../fixtures/compare/issue13/network-sidecar", import.meta.url));

describe("convert: network_mode: service:X", () => {
  it("puts the sidecar into X's pod with its own volumes, and the round trip is equivalent", () => {
    const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
    const converted = convertProject(project);
    const objects = [...converted.files.values()].flat();
    const workloads = objects.filter((o) => ["Deployment", "StatefulSet", "Job"].includes(o.kind));
    expect(workloads.map((o) => o.metadata.name)).toEqual(["app"]);
    const pod = (workloads[0]!.spec as { template: { spec: { containers: { name: string; volumeMounts?: { name: string }[] }[]; volumes: { name: string }[] } } }).template.spec;
    expect(pod.containers.map((c) => c.name)).toEqual(["app", "app-proxy"]);
    expect(pod.volumes.map((v) => v.name)).toEqual(["bind-0", "app-proxy-bind-0"]);
    expect(pod.containers[1]!.volumeMounts!.map((m) => m.name)).toEqual(["app-proxy-bind-0"]);
    expect(objects.filter((o) => o.kind === "Service").map((o) => o.metadata.name)).toEqual(["app"]);
    expect(converted.notes).toContain("app-proxy: shares app's network (network_mode: service:app): it runs as container app-proxy in the pod of Deployment/app, where it reaches app on localhost as in compose");
    const result = compareStacks(project, objects, { order: converted.order });
    expect(result.findings.filter((f) => f.severity !== "info").map((f) => `${f.rule} ${f.service}: ${f.message}`)).toEqual([]);
    expect(result.services.map((s) => [s.service, s.workload, s.container])).toEqual([
      ["app", "Deployment/app", "app"],
      ["app-proxy", "Deployment/app", "app-proxy"],
    ]);
  });
});

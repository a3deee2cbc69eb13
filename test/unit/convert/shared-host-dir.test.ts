// convert: a host directory that several services bind-mount is one directory they all see
// (compose mounts the host's directory itself into each container: docker/docs
// content/manuals/engine/storage/bind-mounts.md). When it becomes a claim it must be one claim,
// ReadWriteMany, mounted by each of them; a directory of one service stays its own
// ReadWriteOnce claim.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { convertProject } from "../../../src/convert/convert.js";

const fixture = fileURLToPath(new URL("../../fixtures/compare/convert/shared-host-dir", import.meta.url));

function convert() {
  const project = loadCompose({ files: [join(fixture, "compose.yml")], cwd: mkdtempSync(join(tmpdir(), "devenv-cwd-")), env: {} });
  const converted = convertProject(project, { namespace: "logs" });
  const all = [...converted.files.values()].flat();
  const claimsOf = (name: string) => ((all.find((o) => o.kind === "Deployment" && o.metadata.name === name)!.spec as any).template.spec.volumes as any[]).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName as string] : []));
  return { project, converted, all, claimsOf };
}

describe("convert: a host directory shared by several services", () => {
  it("becomes one ReadWriteMany claim that both services mount", () => {
    const { all, claimsOf } = convert();
    const pvcs = all.filter((o) => o.kind === "PersistentVolumeClaim");
    expect(claimsOf("web")).toEqual(claimsOf("shipper"));
    const shared = pvcs.find((p) => p.metadata.name === claimsOf("web")[0])!;
    expect((shared.spec as { accessModes: string[] }).accessModes).toEqual(["ReadWriteMany"]);
    const own = pvcs.find((p) => p.metadata.name === claimsOf("worker")[0])!;
    expect((own.spec as { accessModes: string[] }).accessModes).toEqual(["ReadWriteOnce"]);
    expect(pvcs).toHaveLength(2);
  });

  it("says which claim the second service shares, and the round trip stays equivalent", () => {
    const { project, converted, all, claimsOf } = convert();
    expect(converted.notes).toContain(`shipper: bind mount ./logs → /logs shares PersistentVolumeClaim/${claimsOf("web")[0]} with web: the same host directory`);
    const result = compareStacks(project, all, { order: converted.order });
    expect(result.findings.filter((f) => f.severity !== "info")).toEqual([]);
  });
});

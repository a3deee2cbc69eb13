// Reading `ctr images ls` and deciding per node: present, retag, verify or import.
import { describe, expect, it } from "vitest";
import { configDigestOf, containerdRef, parseImageList, planNode } from "../../../src/images/node-store.js";

const M1 = `sha256:${"1".repeat(64)}`;
const M2 = `sha256:${"2".repeat(64)}`;
const ID = `sha256:${"a".repeat(64)}`;
// Recorded from `ctr -n k8s.io images ls` in a kind-like node (containerd 1.6), digests shortened by substitution.
const LS = [
  "REF                                     TYPE                                                 DIGEST  SIZE      PLATFORMS   LABELS",
  `docker.io/acme/api:devenv-0123456789ab application/vnd.docker.distribution.manifest.v2+json ${M1} 115.9 MiB linux/amd64 io.cri-containerd.image=managed`,
  `import-2026-11-24@${M1} application/vnd.docker.distribution.manifest.v2+json ${M1} 115.9 MiB linux/amd64 io.cri-containerd.image=managed`,
  `${ID} application/vnd.docker.distribution.manifest.v2+json ${M1} 115.9 MiB linux/amd64 io.cri-containerd.image=managed`,
  `docker.io/library/redis:7 application/vnd.docker.distribution.manifest.v2+json ${M2} 80 MiB linux/amd64 -`,
  "",
].join("\n");

describe("containerdRef", () => {
  it.each([
    ["redis:7", "docker.io/library/redis:7"],
    ["acme/api:1", "docker.io/acme/api:1"],
    ["acme/api", "docker.io/acme/api:latest"],
    ["localhost:5001/acme/api:1", "localhost:5001/acme/api:1"],
    ["registry.k8s.io/ingress-nginx/controller:v1.15.1", "registry.k8s.io/ingress-nginx/controller:v1.15.1"],
    ["docker.io/library/postgres:16", "docker.io/library/postgres:16"],
    ["localhost/x", "localhost/x:latest"],
  ])("%s → %s", (ref, want) => expect(containerdRef(ref)).toBe(want));
});

describe("parseImageList + planNode", () => {
  const rows = parseImageList(LS);

  it("reads name and manifest digest of each row", () => {
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({ ref: "docker.io/acme/api:devenv-0123456789ab", digest: M1 });
    expect(rows[2]).toEqual({ ref: ID, digest: M1 });
  });

  it("present when the name and the ID point at the same manifest", () => {
    expect(planNode(rows, [{ ref: "acme/api:devenv-0123456789ab", id: ID }]).get("acme/api:devenv-0123456789ab")).toEqual({ kind: "present" });
  });

  it("retags when the node holds the ID under another name, or the name points elsewhere", () => {
    expect(planNode(rows, [{ ref: "acme/api:other", id: ID }]).get("acme/api:other")).toEqual({ kind: "tag", from: ID });
    const moved = parseImageList(LS.replace(`docker.io/acme/api:devenv-0123456789ab application/vnd.docker.distribution.manifest.v2+json ${M1}`, `docker.io/acme/api:devenv-0123456789ab application/vnd.docker.distribution.manifest.v2+json ${M2}`));
    expect(planNode(moved, [{ ref: "acme/api:devenv-0123456789ab", id: ID }]).get("acme/api:devenv-0123456789ab")).toEqual({ kind: "tag", from: ID });
  });

  it("verifies a name without an ID row (no CRI), imports what is absent", () => {
    const plan = planNode(rows, [
      { ref: "redis:7", id: `sha256:${"b".repeat(64)}` },
      { ref: "postgres:16", id: `sha256:${"c".repeat(64)}` },
    ]);
    expect(plan.get("redis:7")).toEqual({ kind: "verify", digest: M2 });
    expect(plan.get("postgres:16")).toEqual({ kind: "import" });
  });

  it("an empty node needs everything", () => {
    expect([...planNode(parseImageList("REF TYPE DIGEST SIZE PLATFORMS LABELS\n"), [{ ref: "a:1", id: ID }]).values()]).toEqual([{ kind: "import" }]);
  });
});

describe("configDigestOf", () => {
  it("reads the config digest of a manifest, nothing from an index or garbage", () => {
    expect(configDigestOf(JSON.stringify({ schemaVersion: 2, config: { digest: ID } }))).toBe(ID);
    expect(configDigestOf(JSON.stringify({ manifests: [] }))).toBeUndefined();
    expect(configDigestOf("not json")).toBeUndefined();
  });
});

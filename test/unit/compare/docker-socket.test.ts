// The Docker socket is infrastructure both sides must mount (volume.docker-socket), not a
// source-code bind mount (volume.bind-mount).
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { parseManifests } from "../../../src/kube/manifests.js";
import { writeFiles } from "../compose/write-files.js";

function compare(compose: string, manifests: string) {
  const dir = writeFiles({ "compose.yml": compose });
  const r = compareStacks(loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }), parseManifests(manifests, "test.yaml"));
  return r.findings.filter((f) => !f.ignored).map((f) => `${f.severity} ${f.rule} ${f.service}: ${f.message}`.replace(dir, "."));
}

const worker = (hostPath: boolean) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: w }
spec:
  selector: { matchLabels: { app: w } }
  template:
    metadata: { labels: { app: w } }
    spec:
      containers:
        - name: w
          image: w
${hostPath ? "          volumeMounts: [{ name: sock, mountPath: /var/run/docker.sock }]\n      volumes: [{ name: sock, hostPath: { path: /var/run/docker.sock, type: Socket } }]" : ""}`;

describe("volume.docker-socket", () => {
  const withSocket = "services:\n  w: { image: w, volumes: ['/var/run/docker.sock:/var/run/docker.sock', './src:/app/src'] }\n";
  const without = "services:\n  w: { image: w }\n";

  it("both sides mount it: no finding; a source bind mount is still reported as one", () => {
    expect(compare(withSocket, worker(true))).toEqual(["info volume.bind-mount w: bind mount (dev only): ./src → /app/src"]);
  });

  it("only compose mounts it", () => {
    expect(compare(withSocket, worker(false))).toEqual([
      "info volume.bind-mount w: bind mount (dev only): ./src → /app/src",
      "error volume.docker-socket w: compose mounts the Docker socket (/var/run/docker.sock → /var/run/docker.sock), but Deployment/w mounts no hostPath socket",
    ]);
  });

  it("only the cluster mounts it", () => {
    expect(compare(without, worker(true))).toEqual(["error volume.docker-socket w: Deployment/w mounts the node's Docker socket at /var/run/docker.sock, but compose mounts none"]);
  });
});

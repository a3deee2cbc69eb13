// The Dockerfile HEALTHCHECK is compared with the probe even when compose has its own healthcheck
// (the seed's pitfall: an image whose HEALTHCHECK did not match the real endpoint).
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { parseManifests } from "../../../src/kube/manifests.js";
import { writeFiles } from "../compose/write-files.js";

const k8s = `apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: api
          image: shop/api
          ports: [{ name: http, containerPort: 8001 }]
          readinessProbe: { httpGet: { path: /api/v1/health, port: http } }`;

function compare(dockerfileHealth: string) {
  const compose = `services:
  api:
    image: shop/api
    build: { context: ./api }
    expose: ["8001"]
    healthcheck: { test: ["CMD", "node", "-e", "fetch('http://127.0.0.1:8001/api/v1/health')"] }
`;
  const dir = writeFiles({ "compose.yml": compose, "api/Dockerfile": `FROM node:20\n${dockerfileHealth}\nCMD ["node", "server.js"]\n` });
  const r = compareStacks(loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }), parseManifests(k8s, "k8s.yaml"));
  return r.findings.filter((f) => f.rule.startsWith("health")).map((f) => `${f.severity} ${f.rule} ${f.service}: ${f.message}`);
}

describe("health.mismatch: the image's HEALTHCHECK under a compose healthcheck", () => {
  it("a HEALTHCHECK on another endpoint is reported although compose overrides it", () => {
    expect(compare(`HEALTHCHECK CMD ["node", "-e", "fetch('http://127.0.0.1:8001/health')"]`)).toEqual([
      "warning health.mismatch api: the Dockerfile HEALTHCHECK checks GET :8001/health (compose overrides it, but the image keeps it), the probe checks GET :8001/api/v1/health",
    ]);
  });
  it("one that matches, or none, is fine", () => {
    expect(compare(`HEALTHCHECK CMD ["node", "-e", "fetch('http://127.0.0.1:8001/api/v1/health')"]`)).toEqual([]);
    expect(compare("")).toEqual([]);
  });
});

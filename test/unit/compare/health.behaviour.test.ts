// compare-compose rules health.mismatch and health.missing (docs/compare-compose.md, Rules):
// which probe counts, what is the same check, and what is a different kind of check.
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { parseManifests } from "../../../src/kube/manifests.js";
import { writeFiles } from "../compose/write-files.js";

function run(healthcheck: string, container: string, files: Record<string, string> = {}) {
  const dir = writeFiles({ "compose.yml": `services:\n  api:\n    image: a\n${healthcheck ? `    healthcheck: ${healthcheck.startsWith("{") ? healthcheck : `{ test: ${healthcheck} }`}\n` : ""}`, ...files });
  const k8s = `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  selector: { matchLabels: { app: api } }\n  template:\n    metadata: { labels: { app: api } }\n    spec:\n      containers:\n        - { name: api, image: a, ${container} }\n`;
  return compareStacks(loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }), parseManifests(k8s, "t.yaml"));
}
const health = (hc: string, container: string) =>
  run(hc, container)
    .findings.filter((f) => f.rule.startsWith("health."))
    .map((f) => `${f.severity} ${f.rule}`);
const passed = (hc: string, container: string) => run(hc, container).services[0]!.passed.filter((p) => p.startsWith("health"));

describe("the same check", () => {
  it("an HTTP client on localhost ↔ an httpGet probe on the same port and path (query and trailing slash aside)", () => {
    expect(health('{ test: ["CMD", "curl", "-f", "http://localhost:8080/ready/?x=1"] }', "readinessProbe: { httpGet: { path: /ready, port: 8080 } }")).toEqual([]);
    expect(passed('{ test: ["CMD", "curl", "-f", "http://localhost:8080/ready/?x=1"] }', "readinessProbe: { httpGet: { path: /ready, port: 8080 } }")).toEqual(["health GET :8080/ready/?x=1"]);
  });
  it("a URL without a port is port 80, without a path is /; a probe without a path is /", () => {
    expect(health('"wget -qO- http://127.0.0.1"', "readinessProbe: { httpGet: { port: 80 } }")).toEqual([]);
  });
  it("a named probe port resolves against the container's ports; written as text it is a number", () => {
    expect(health('"curl http://localhost:9000/h"', "ports: [{ name: web, containerPort: 9000 }], readinessProbe: { httpGet: { path: /h, port: web } }")).toEqual([]);
    expect(health('"curl http://localhost:9000/h"', "readinessProbe: { httpGet: { path: /h, port: '9000' } }")).toEqual([]);
  });
  it("the same command in an exec probe, written for sh -c or as argv", () => {
    expect(health('["CMD-SHELL", "pg_isready -U app"]', 'readinessProbe: { exec: { command: ["sh", "-c", "pg_isready -U app"] } }')).toEqual([]);
    expect(health('["CMD", "pg_isready", "-U", "app"]', 'readinessProbe: { exec: { command: ["pg_isready", "-U", "app"] } }')).toEqual([]);
    expect(health('["CMD", "redis-cli", "ping"]', 'readinessProbe: { exec: { command: ["/bin/bash", "-c", "redis-cli  ping"] } }')).toEqual([]);
  });
  it("the same program with other arguments counts as the same check", () => {
    expect(health('"pg_isready -U app"', 'readinessProbe: { exec: { command: ["pg_isready", "-h", "localhost"] } }')).toEqual([]);
  });
  it("an exec probe running an HTTP client on localhost is an HTTP check", () => {
    expect(health('"curl -f http://localhost:3000/health"', 'readinessProbe: { exec: { command: ["wget", "-qO-", "http://127.0.0.1:3000/health"] } }')).toEqual([]);
  });
});

describe("different checks", () => {
  it("another path or another port is an error", () => {
    expect(health('"curl http://localhost:8080/health"', "readinessProbe: { httpGet: { path: /ready, port: 8080 } }")).toEqual(["error health.mismatch"]);
    expect(health('"curl http://localhost:8080/health"', "readinessProbe: { httpGet: { path: /health, port: 8081 } }")).toEqual(["error health.mismatch"]);
    expect(health('"curl http://localhost:8080/health"', "readinessProbe: { httpGet: { path: /health, port: nope } }")).toEqual(["error health.mismatch"]);
  });
  it("another program is an error; another kind of check is a warning", () => {
    expect(health('"pg_isready"', 'readinessProbe: { exec: { command: ["psql", "-c", "select 1"] } }')).toEqual(["error health.mismatch"]);
    expect(health('"pg_isready"', "readinessProbe: { tcpSocket: { port: 5432 } }")).toEqual(["warning health.mismatch"]);
    expect(health('"curl http://localhost:80/"', "readinessProbe: { tcpSocket: { port: 80 } }")).toEqual(["warning health.mismatch"]);
  });
  it("the finding names both checks for --json", () => {
    const f = run('"curl http://localhost:8080/health"', "readinessProbe: { httpGet: { path: /ready, port: 8080 } }").findings.find((x) => x.rule === "health.mismatch")!;
    expect(f).toMatchObject({ compose: "GET :8080/health", k8s: "GET :8080/ready", workload: "Deployment/api" });
  });
});

describe("which probe counts", () => {
  it("readiness first, then liveness, then startup", () => {
    const both = "readinessProbe: { httpGet: { path: /ready, port: 80 } }, livenessProbe: { httpGet: { path: /live, port: 80 } }";
    expect(health('"curl http://localhost/ready"', both)).toEqual([]);
    expect(health('"curl http://localhost/live"', both)).toEqual(["error health.mismatch"]);
    expect(health('"curl http://localhost/live"', "livenessProbe: { httpGet: { path: /live, port: 80 } }, startupProbe: { httpGet: { path: /start, port: 80 } }")).toEqual([]);
    expect(health('"curl http://localhost/start"', "startupProbe: { httpGet: { path: /start, port: 80 } }")).toEqual([]);
  });
  it("no probe at all: a warning naming the check", () => {
    const f = run('"curl http://localhost:8080/health"', "ports: []").findings.filter((x) => x.rule.startsWith("health."));
    expect(f.map((x) => [x.severity, x.rule, x.compose])).toEqual([["warning", "health.missing", "GET :8080/health"]]);
  });
  it("no compose healthcheck, or a disabled one: nothing to compare", () => {
    expect(health("", "readinessProbe: { httpGet: { path: /x, port: 80 } }")).toEqual([]);
    expect(health("{ disable: true }", "")).toEqual([]);
  });
  it("a healthcheck that only tunes timings, on an image without HEALTHCHECK: nothing to compare", () => {
    expect(health("{ interval: 5s }", "")).toEqual([]);
  });
});

// compare-compose rules health.* (docs/compare-compose.md, Rules), the cases a user meets
// beyond the basics of health.behaviour.test.ts: which workloads are checked, where the check
// comes from (compose or the image), the hosts and spellings that count as "itself", named
// probe ports, exec probes and what the finding prints for --json.
import { describe, expect, it } from "vitest";
import { compareYaml, deployment } from "./compare-yaml.js";
import { writeFiles } from "../compose/write-files.js";

const compose = (hc: string, extra = "") => `services:\n  api:\n    image: a\n${hc ? `    healthcheck: { test: ${hc} }\n` : ""}${extra}`;
const k8s = (container: string) => deployment("api", `{ name: api, image: a, ${container} }`);
const healthFindings = (c: string, m: string, files: Record<string, string> = {}, opts = {}) => compareYaml(c, m, opts, files).findings.filter((f) => f.rule.startsWith("health."));
const health = (hc: string, container: string) => healthFindings(compose(hc), k8s(container)).map((f) => `${f.severity} ${f.rule}`);
const first = (hc: string, container: string, extra = "") => healthFindings(compose(hc, extra), k8s(container))[0];
const passed = (hc: string, container: string, extra = "") => compareYaml(compose(hc, extra), k8s(container)).services[0]!.passed.filter((p) => p.startsWith("health"));

describe("which workloads are checked", () => {
  it("a Job or CronJob runs once and needs no probe, a Deployment does", () => {
    const job = (kind: string) => `apiVersion: batch/v1\nkind: ${kind}\nmetadata: { name: api }\nspec:\n  template:\n    metadata: { labels: { app: api } }\n    spec:\n      containers: [{ name: api, image: a }]\n`;
    const cron = `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: api }\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata: { labels: { app: api } }\n        spec:\n          containers: [{ name: api, image: a }]\n`;
    expect(healthFindings(compose('"pg_isready"'), job("Job"))).toEqual([]);
    expect(healthFindings(compose('"pg_isready"'), cron)).toEqual([]);
    expect(healthFindings(compose('"pg_isready"'), k8s("ports: []")).map((f) => f.rule)).toEqual(["health.missing"]);
  });
});

describe("where the check comes from", () => {
  it("the message says whether compose or the image's Dockerfile HEALTHCHECK asks for the check", () => {
    expect(first('"pg_isready"', "ports: []")!.message).toBe("the compose healthcheck checks `pg_isready`, but Deployment/api has no readiness/liveness probe");
    const built = `services:\n  api:\n    build: { context: ./api }\n`;
    const f = healthFindings(built, k8s("ports: []"), { "api/Dockerfile": "FROM node:20\nHEALTHCHECK CMD pg_isready\n" })[0]!;
    expect(f.message).toBe("the Dockerfile HEALTHCHECK checks `pg_isready`, but Deployment/api has no readiness/liveness probe");
  });
  it("HEALTHCHECK NONE in the Dockerfile: nothing to compare", () => {
    const built = `services:\n  api:\n    build: { context: ./api }\n`;
    expect(healthFindings(built, k8s("ports: []"), { "api/Dockerfile": "FROM node:20\nHEALTHCHECK NONE\n" })).toEqual([]);
  });
  it("an image built by devenv.ts (same repository, any registry spelling) brings its Dockerfile HEALTHCHECK; another repository does not", () => {
    const ctxDir = writeFiles({ Dockerfile: "FROM node:20\nHEALTHCHECK CMD pg_isready\n" });
    const c = `services:\n  api:\n    image: shop/api:1.0\n`;
    const run = (repository: string) => healthFindings(c, k8s("ports: []"), {}, { images: [{ repository, context: ctxDir, dockerfile: "Dockerfile" }] }).map((f) => f.message);
    expect(run("docker.io/shop/api")).toEqual(["the Dockerfile HEALTHCHECK checks `pg_isready`, but Deployment/api has no readiness/liveness probe"]);
    expect(run("shop/other")).toEqual([]);
  });
});

describe("the container itself, however it is spelled", () => {
  it("0.0.0.0 and [::1] are the container itself, as are upper-case URLs and hosts", () => {
    expect(health('"curl http://0.0.0.0:8080/h"', "readinessProbe: { httpGet: { path: /h, port: 8080 } }")).toEqual([]);
    expect(health('"curl -g http://[::1]:8080/h"', "readinessProbe: { httpGet: { path: /h, port: 8080 } }")).toEqual([]);
    expect(health('"curl HTTP://LOCALHOST:8080/h"', "readinessProbe: { httpGet: { path: /h, port: 8080 } }")).toEqual([]);
    expect(health('"NC -z LOCALHOST 5432"', "readinessProbe: { tcpSocket: { port: 5432 } }")).toEqual([]);
  });
  it("a container_name with a dot is the container itself; the same name without the dot is not", () => {
    expect(health('"curl http://api.local:8080/h"', "readinessProbe: { httpGet: { path: /h, port: 8080 } }").length).toBeGreaterThan(0);
    expect(healthFindings(compose('"curl http://api.local:8080/h"', "    container_name: api.local\n"), k8s("readinessProbe: { httpGet: { path: /h, port: 8080 } }"))).toEqual([]);
    expect(healthFindings(compose('"curl http://apiXlocal:8080/h"', "    container_name: api.local\n"), k8s("readinessProbe: { httpGet: { path: /h, port: 8080 } }")).map((f) => f.severity)).toEqual(["warning"]);
  });
  it("a plain-http URL whose path mentions https stays on port 80; an https URL defaults to 443", () => {
    expect(health('"curl http://localhost/https-ready"', "readinessProbe: { httpGet: { path: /https-ready, port: 80 } }")).toEqual([]);
    expect(health('"curl -k https://localhost/ready"', "readinessProbe: { httpGet: { path: /ready, port: 443 } }")).toEqual([]);
  });
});

describe("probe ports", () => {
  it("a named port is looked up by name among several; a name ending in digits is still a name", () => {
    const ports = "ports: [{ name: metrics, containerPort: 9100 }, { name: web2, containerPort: 9000 }, { name: 9001-adm, containerPort: 9001 }]";
    expect(health('"curl http://localhost:9000/h"', `${ports}, readinessProbe: { httpGet: { path: /h, port: web2 } }`)).toEqual([]);
    expect(health('"curl http://localhost:9001/h"', `${ports}, readinessProbe: { httpGet: { path: /h, port: 9001-adm } }`)).toEqual([]);
    expect(health('"nc -z localhost 9000"', `${ports}, readinessProbe: { tcpSocket: { port: web2 } }`)).toEqual([]);
  });
  it("a name the container does not declare is a mismatch, not a crash", () => {
    expect(health('"curl http://localhost:9000/h"', "ports: [{ name: web, containerPort: 9000 }], readinessProbe: { httpGet: { path: /h, port: admin } }")).toEqual(["error health.mismatch"]);
  });
});

describe("exec probes", () => {
  it("only sh -c / bash -c with one script unwraps the script", () => {
    expect(health('"app"', 'readinessProbe: { exec: { command: ["pg_isready", "-U", "app"] } }')).toEqual(["error health.mismatch"]);
    expect(health('"app"', 'readinessProbe: { exec: { command: ["sh", "-x", "app"] } }')).toEqual(["error health.mismatch"]);
    expect(health('"app"', 'readinessProbe: { exec: { command: ["/bin/shellcheck", "-c", "app"] } }')).toEqual(["error health.mismatch"]);
    expect(health('"app"', 'readinessProbe: { exec: { command: ["sh", "-c", "app", "x"] } }')).toEqual(["error health.mismatch"]);
    expect(health('"app"', 'readinessProbe: { exec: { command: ["/bin/sh", "-c", "app --check"] } }')).toEqual([]);
  });
  it("an exec probe unwrapped from sh -c that runs nc on itself is a TCP check", () => {
    expect(health('"nc -z localhost 5432"', 'readinessProbe: { exec: { command: ["sh", "-c", "nc -z localhost 5432"] } }')).toEqual([]);
    expect(health('"nc -z localhost 5432"', 'readinessProbe: { exec: { command: ["sh", "-c", "nc -z localhost 5433"] } }')).toEqual(["error health.mismatch"]);
  });
  it("a probe with neither httpGet, tcpSocket nor exec (gRPC) is reported as a mismatch, not a crash", () => {
    const f = first('"pg_isready"', "readinessProbe: { grpc: { port: 9000 } }")!;
    expect(f.rule).toBe("health.mismatch");
    expect(f.k8s).toBe("``");
  });
});

describe("what the finding prints", () => {
  it("commands are shown with their whitespace collapsed, on both sides", () => {
    const f = first('"  pg_isready   -U  app "', 'readinessProbe: { exec: { command: ["sh", "-c", "  psql  -c   ok "] } }')!;
    expect(f).toMatchObject({ compose: "`pg_isready -U app`", k8s: "`psql -c ok`" });
    const g = first('"  pg_isready   -U  app "', "readinessProbe: { tcpSocket: { port: 5432 } }")!;
    expect(g.compose).toBe("`pg_isready -U app`");
    const h = first('"pg_isready"', 'readinessProbe: { exec: { command: ["psql", " -c ", "ok"] } }')!;
    expect(h.k8s).toBe("`psql -c ok`");
  });
  it("an endpoint without a path is shown as /", () => {
    expect(passed('"curl http://localhost:8080"', "readinessProbe: { httpGet: { port: 8080 } }")).toEqual(["health GET :8080/"]);
    expect(first('"pg_isready"', "readinessProbe: { httpGet: { port: 8080 } }")!.k8s).toBe("GET :8080/");
  });
  it("a different port on a TCP check is an error; a different command against an HTTP check is a warning", () => {
    expect(health('"nc -z localhost 5432"', "readinessProbe: { tcpSocket: { port: 5433 } }")).toEqual(["error health.mismatch"]);
    expect(health('"nc -z localhost 5432"', "readinessProbe: { tcpSocket: { port: 5432 } }")).toEqual([]);
    expect(health('"curl http://localhost:80/a"', "readinessProbe: { httpGet: { path: /a, port: 80 } }")).toEqual([]);
    expect(health('"pg_isready"', "readinessProbe: { httpGet: { path: /a, port: 80 } }")).toEqual(["warning health.mismatch"]);
    expect(health('"curl http://localhost:80/a"', 'readinessProbe: { exec: { command: ["pg_isready"] } }')).toEqual(["warning health.mismatch"]);
  });
  it("a trailing slash and a query are ignored, other paths are not", () => {
    expect(health('"curl http://localhost:80/a//"', "readinessProbe: { httpGet: { path: /a, port: 80 } }")).toEqual([]);
    expect(health('"curl http://localhost:80/"', "readinessProbe: { httpGet: { path: /, port: 80 } }")).toEqual([]);
    expect(health('"curl http://localhost:80/?x=1"', "readinessProbe: { httpGet: { path: /, port: 80 } }")).toEqual([]);
    expect(passed('"curl http://localhost:80/a"', "readinessProbe: { httpGet: { path: /a, port: 80 } }")).toEqual(["health GET :80/a"]);
  });
});

describe("compose test spellings", () => {
  it("CMD-SHELL with several items is one shell line joined by spaces; a list without CMD is taken as written", () => {
    expect(health('["CMD-SHELL", "pg_isready", "-U app"]', 'readinessProbe: { exec: { command: ["pg_isready", "-U", "app"] } }')).toEqual([]);
    expect(first('["CMD-SHELL", "pg_isready", "-U app"]', "readinessProbe: { tcpSocket: { port: 5432 } }")!.compose).toBe("`pg_isready -U app`");
    expect(first('["pg_isready", "-U", "app"]', "readinessProbe: { tcpSocket: { port: 5432 } }")!.compose).toBe("`pg_isready -U app`");
    expect(first('["CMD", "pg_isready", "-U", "app"]', "readinessProbe: { tcpSocket: { port: 5432 } }")!.compose).toBe("`pg_isready -U app`");
  });
});

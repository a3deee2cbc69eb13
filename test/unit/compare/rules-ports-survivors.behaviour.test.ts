// port.mismatch, port.service, port.no-service (issue #21 survivors of src/compare/rules/ports.ts):
// exact messages, the --json fields, named ports on sidecars said once, run-once workloads.
import { describe, expect, it } from "vitest";
import { compareYaml, workload, yamlStream as all } from "./compare-yaml.js";
import { runsOnce } from "../../../src/compare/rules/ports.js";

const findings = (compose: string, manifests: string) => compareYaml(compose, manifests).findings.filter((f) => f.rule.startsWith("port."));
const msgs = (compose: string, manifests: string) => findings(compose, manifests).map((f) => `${f.service} ${f.rule}: ${f.message}`);
const deploy = (containers: string, kind = "Deployment") => workload("api", `
${containers}`, { kind });
const one = (ports: string) => deploy(`        - { name: api, image: a, ports: ${ports} }`);
const svc = (ports: string) => `apiVersion: v1\nkind: Service\nmetadata: { name: api }\nspec: { selector: { app: api }, ports: ${ports} }`;

describe("port.mismatch: the message", () => {
  it("ports in numeric order; no '(only in compose …)' tail when none of compose's ports is there", () => {
    expect(msgs("services:\n  api: { image: a, ports: ['81:81'] }\n", all(one("[{ containerPort: 9090 }, { containerPort: 80 }]"), svc("[{ port: 80 }]")))).toEqual(["api port.mismatch: compose listens on 81, k8s on 80, 9090"]);
    expect(msgs("services:\n  api: { image: a, ports: ['81:81', '80:80'] }\n", all(one("[{ containerPort: 80 }]"), svc("[{ port: 80 }]")))).toEqual(["api port.mismatch: compose listens on 80, 81, k8s on 80 (only in compose: 81)"]);
  });
});

describe("port.service: messages and --json fields", () => {
  it("a numeric targetPort nobody listens on, with a sidecar that declares no port", () => {
    const k8s = all(deploy("        - { name: api, image: a, ports: [{ containerPort: 9090 }, { containerPort: 80 }] }\n        - { name: side, image: s }"), svc("[{ port: 80 }, { port: 81, targetPort: 8080 }]"));
    const fs = findings("services:\n  api: { image: a, ports: ['80:80'] }\n", k8s);
    expect(fs.map((f) => f.message)).toEqual(["Service/api port 81 → targetPort 8080, which no container declares (declared: 80, 9090) and compose neither publishes nor exposes: Kubernetes forwards it anyway, so it reaches the pod only if the process listens there"]);
    expect(fs[0]).toMatchObject({ rule: "port.undeclared", severity: "warning", workload: "Deployment/api", k8s: "8080" });
  });
  it("a named targetPort no container names carries the workload and the name", () => {
    const fs = findings("services:\n  api: { image: a, ports: ['80:80'] }\n", all(one("[{ containerPort: 80 }]"), svc("[{ port: 80 }, { port: 81, targetPort: grpc }]")));
    expect(fs).toEqual([expect.objectContaining({ rule: "port.service", workload: "Deployment/api", k8s: "grpc" })]);
  });
  it("port names with digits are names (http2, 9pfs), resolved by name", () => {
    for (const name of ["http2", "9pfs"]) {
      const k8s = all(one(`[{ name: ${name}, containerPort: 8000 }]`), svc(`[{ port: 80, targetPort: ${name} }]`));
      expect(msgs("services:\n  api: { image: a, ports: ['80:8000'] }\n", k8s), name).toEqual([]);
    }
  });
  it("a named TCP Service port resolves to that port, not to another port of the container", () => {
    // dns is 53/udp; the Service reaches http (80/tcp) only, so compose's 53/tcp is missing.
    const k8s = all(one("[{ name: dns, containerPort: 53, protocol: UDP }, { name: http, containerPort: 80 }]"), svc("[{ port: 80, targetPort: http }]"));
    expect(msgs("services:\n  api: { image: a, ports: ['80:80', '53:53'] }\n", k8s)).toEqual(["api port.mismatch: compose listens on 53, 80, k8s on 53/udp, 80 (only in compose: 53)"]);
  });
});

describe("port.service: a named port matched by name but not protocol is said once", () => {
  const udp = svc("[{ port: 80, targetPort: http }, { port: 53, targetPort: dns, protocol: UDP }]");
  const webSvc = "apiVersion: v1\nkind: Service\nmetadata: { name: web }\nspec: { selector: { app: api }, ports: [{ port: 8080 }] }";
  it("by the service whose container declares the name; --json has workload and name/protocol", () => {
    const k8s = all(deploy("        - { name: api, image: a, ports: [{ name: http, containerPort: 80 }, { name: dns, containerPort: 53 }] }\n        - { name: web, image: w, ports: [{ name: web, containerPort: 8080 }] }"), udp, webSvc);
    const fs = findings("services:\n  api: { image: a, ports: ['80:80'] }\n  web: { image: w, ports: ['8080:8080'] }\n", k8s);
    expect(fs.map((f) => `${f.service} ${f.rule}`)).toEqual(["api port.service"]);
    expect(fs[0]).toMatchObject({ workload: "Deployment/api", k8s: "dns/udp" });
    expect(fs[0]!.message).toBe('Service/api port 53/udp targets "dns", which container api declares as 53/tcp: a named port matches by name and protocol, so this Service port has no endpoint');
  });
  it("by the workload's first service when only an unmatched sidecar declares it", () => {
    const k8s = all(
      deploy("        - { name: api, image: a, ports: [{ name: http, containerPort: 80 }] }\n        - { name: web, image: w, ports: [{ containerPort: 8080 }] }\n        - { name: side, image: s, ports: [{ name: dns, containerPort: 53 }] }"),
      udp,
      webSvc,
    );
    const fs = findings("services:\n  api: { image: a, ports: ['80:80'] }\n  web: { image: w, ports: ['8080:8080'] }\n", k8s);
    expect(fs.map((f) => `${f.service} ${f.rule}: ${f.message.split(":")[0]}`)).toEqual(['api port.service: Service/api port 53/udp targets "dns", which container side declares as 53/tcp']);
  });
  it("by that workload's first service, also when another workload's service comes first in compose", () => {
    const cache = "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: cache }\nspec:\n  selector: { matchLabels: { app: cache } }\n  template:\n    metadata: { labels: { app: cache } }\n    spec:\n      containers: [{ name: cache, image: c }]\n";
    const k8s = all(cache, deploy("        - { name: api, image: a, ports: [{ name: http, containerPort: 80 }] }\n        - { name: side, image: s, ports: [{ name: dns, containerPort: 53 }] }"), udp);
    const fs = findings("services:\n  cache: { image: c }\n  api: { image: a, ports: ['80:80'] }\n", k8s);
    expect(fs.map((f) => `${f.service} ${f.rule}`)).toEqual(["api port.service"]);
  });
  it("with one service and a sidecar declaring it, still said", () => {
    const k8s = all(deploy("        - { name: api, image: a, ports: [{ name: http, containerPort: 80 }] }\n        - { name: side, image: s, ports: [{ name: dns, containerPort: 53 }] }"), udp);
    expect(findings("services:\n  api: { image: a, ports: ['80:80'] }\n", k8s).map((f) => f.rule)).toEqual(["port.service"]);
  });
});

describe("port.no-service", () => {
  it("carries the workload for --json", () => {
    expect(findings("services:\n  api: { image: a, ports: ['80:80'] }\n", one("[{ containerPort: 80 }]"))).toEqual([expect.objectContaining({ rule: "port.no-service", workload: "Deployment/api" })]);
  });
  it("an agent on the node's IP needs no Service even when it has more hostPorts than compose publishes", () => {
    const k8s = deploy("        - { name: api, image: a, ports: [{ containerPort: 8125, hostPort: 8125, protocol: UDP }, { containerPort: 8126, hostPort: 8126 }] }", "DaemonSet");
    expect(msgs("services:\n  api: { image: a, ports: ['8125:8125/udp'] }\n", k8s)).toEqual([]);
  });
});

describe("run-once workloads are not checked for ports", () => {
  it("a CronJob", () => {
    const cron = `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: api }\nspec:\n  schedule: '* * * * *'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n            - { name: api, image: a }\n`;
    expect(msgs("services:\n  api: { image: a, ports: ['80:80'] }\n", cron)).toEqual([]);
  });
  it("only a Pod's own restartPolicy makes it run once; a Pod without spec does not", () => {
    expect(runsOnce({ kind: "Pod", spec: { restartPolicy: "OnFailure" } })).toBe(true);
    expect(runsOnce({ kind: "Pod" })).toBe(false);
    expect(runsOnce({ kind: "Deployment", spec: { restartPolicy: "Never" } })).toBe(false);
  });
});

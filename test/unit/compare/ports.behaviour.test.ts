// compare-compose rules port.mismatch, port.service and port.no-service (docs/compare-compose.md,
// Rules): ports with protocols, targetPorts by number, by name and by default, sidecars' ports.
import { describe, expect, it } from "vitest";
import { compareYaml, yamlStream as all } from "./compare-yaml.js";

const ports = (compose: string, manifests: string) =>
  compareYaml(compose, manifests)
    .findings.filter((f) => f.rule.startsWith("port."))
    .map((f) => `${f.severity} ${f.rule}: ${f.message}`);
const passed = (compose: string, manifests: string) => compareYaml(compose, manifests).services[0]?.passed ?? [];
const deploy = (containers: string, kind = "Deployment", extra = "") => `apiVersion: apps/v1
kind: ${kind}
metadata: { name: api }
spec:
  ${extra}
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
${containers}`;
const one = (ports: string) => deploy(`        - { name: api, image: a, ports: ${ports} }`);
const svc = (ports: string, name = "api") => `apiVersion: v1\nkind: Service\nmetadata: { name: ${name} }\nspec: { selector: { app: api }, ports: ${ports} }`;

describe("port.mismatch", () => {
  it("the same ports, published or exposed, with protocols", () => {
    const compose = "services:\n  api: { image: a, ports: ['8080:80', '53:53/udp'], expose: ['9000'] }\n";
    const k8s = all(one("[{ containerPort: 80 }, { containerPort: 53, protocol: UDP }, { containerPort: 9000 }]"), svc("[{ port: 80 }, { port: 53, protocol: UDP }, { port: 9000 }]"));
    expect(ports(compose, k8s)).toEqual([]);
    expect(passed(compose, k8s)).toContain("ports 53/udp, 80, 9000");
  });
  it("a UDP port in compose, TCP in Kubernetes, is missing", () => {
    const compose = "services:\n  api: { image: a, ports: ['53:53/udp'] }\n";
    expect(ports(compose, all(one("[{ containerPort: 53 }]"), svc("[{ port: 53 }]")))).toEqual([expect.stringMatching(/^error port\.mismatch: compose .*\b53\/udp\b.*, k8s .*\b53\b(?!\/)/)]);
  });
  it("no declared port at all is said in words; values for --json carry no spaces", () => {
    const r = compareYaml("services:\n  api: { image: a, ports: ['80:80', '81:81'] }\n", deploy("        - { name: api, image: a }"));
    const f = r.findings.find((x) => x.rule === "port.mismatch")!;
    expect(f.message).toMatch(/^compose .*\b80, 81\b.*, k8s .*no declared port/);
    expect(f).toMatchObject({ compose: "80,81", k8s: "" });
  });
  it("a Service's numeric targetPort counts as a declared port when the pod declares none", () => {
    expect(ports("services:\n  api: { image: a, ports: ['8080:80'] }\n", all(deploy("        - { name: api, image: a }"), svc("[{ port: 8080, targetPort: 80 }]")))).toEqual([]);
  });
  it("ports are listed in numeric order, not text order", () => {
    const compose = "services:\n  api: { image: a, expose: ['10000', '9000', '800'] }\n";
    expect(ports(compose, all(one("[{ containerPort: 80 }]"), svc("[{ port: 80 }]")))).toEqual([expect.stringMatching(/^error port\.mismatch: compose .*\b800, 9000, 10000\b.*, k8s .*\b80\b/)]);
  });
  it("a port only Kubernetes declares is not drift", () => {
    expect(ports("services:\n  api: { image: a, ports: ['80:80'] }\n", all(one("[{ containerPort: 80 }, { containerPort: 9090 }]"), svc("[{ port: 80 }]")))).toEqual([]);
  });
  it("Jobs and run-once Pods are not checked for ports", () => {
    const job = `apiVersion: batch/v1\nkind: Job\nmetadata: { name: api }\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - { name: api, image: a }\n`;
    expect(ports("services:\n  api: { image: a, restart: 'no', ports: ['80:80'] }\n", job)).toEqual([]);
    const pod = `apiVersion: v1\nkind: Pod\nmetadata: { name: api, labels: { app: api } }\nspec:\n  restartPolicy: Never\n  containers:\n    - { name: api, image: a }\n`;
    expect(ports("services:\n  api: { image: a, restart: 'no', ports: ['80:80'] }\n", pod)).toEqual([]);
  });
});

describe("port.service", () => {
  it("a missing, 0 or empty targetPort means the port", () => {
    for (const tp of ["", ", targetPort: 0", ", targetPort: '0'", ", targetPort: ''"]) {
      expect(ports("services:\n  api: { image: a, ports: ['80:80'] }\n", all(one("[{ containerPort: 80 }]"), svc(`[{ port: 80${tp} }]`))), tp).toEqual([]);
    }
  });
  it("a numeric targetPort written as text resolves like the number", () => {
    expect(ports("services:\n  api: { image: a, ports: ['80:80'] }\n", all(one("[{ containerPort: 80 }]"), svc("[{ port: 8080, targetPort: '80' }]")))).toEqual([]);
  });
  it("a numeric targetPort no container declares is a doubt (a warning) naming the declared ports", () => {
    const k8s = all(deploy("        - { name: api, image: a, ports: [{ containerPort: 80 }] }\n        - { name: side, image: s, ports: [{ containerPort: 15090 }] }"), svc("[{ port: 80, targetPort: 8080 }]"));
    expect(ports("services:\n  api: { image: a, ports: ['80:80'] }\n", k8s)).toEqual([
      "warning port.undeclared: Service/api port 80 → targetPort 8080, which no container declares (declared: 80, 15090) and compose neither publishes nor exposes: Kubernetes forwards it anyway, so it reaches the pod only if the process listens there",
    ]);
  });
  it("an undeclared numeric targetPort that compose exposes is the process's port: nothing to report", () => {
    // An all-in-one image serving more ports than its containerPorts list (seen on a Helm-rendered
    // tracing collector): Kubernetes forwards them, and compose says the process listens there.
    const k8s = all(one("[{ containerPort: 16686 }, { containerPort: 6831, protocol: UDP }]"), svc("[{ name: ui, port: 16686 }, { name: grpc, port: 14250 }, { name: thrift, port: 6831, protocol: UDP }]"));
    expect(ports("services:\n  api: { image: a, ports: ['16686:16686', '6831:6831/udp'], expose: ['14250'] }\n", k8s)).toEqual([]);
    expect(ports("services:\n  api: { image: a, ports: ['16686:16686', '6831:6831/udp'] }\n", k8s)).toEqual([
      "warning port.undeclared: Service/api port 14250 → targetPort 14250, which no container declares (declared: 6831/udp, 16686) and compose neither publishes nor exposes: Kubernetes forwards it anyway, so it reaches the pod only if the process listens there",
    ]);
  });
  it("a named targetPort resolves by name; a sidecar's port belongs to the sidecar", () => {
    const k8s = all(
      deploy("        - { name: api, image: a, ports: [{ name: http, containerPort: 8000 }] }\n        - { name: side, image: s, ports: [{ name: metrics, containerPort: 9100 }] }"),
      svc("[{ name: web, port: 80, targetPort: http }, { name: m, port: 9100, targetPort: metrics }, { port: 9100, targetPort: 9100, name: m2 }]"),
    );
    expect(ports("services:\n  api: { image: a, ports: ['80:8000'] }\n", k8s)).toEqual([]);
  });
  it("a named targetPort no container names", () => {
    expect(ports("services:\n  api: { image: a, ports: ['80:80'] }\n", all(one("[{ containerPort: 80 }]"), svc("[{ port: 80 }, { port: 81, targetPort: grpc }]")))).toEqual(['error port.service: Service/api targets port "grpc", which no container of Deployment/api names']);
  });
  it("a named UDP Service port whose name is a TCP containerPort has no endpoint", () => {
    const k8s = all(one("[{ name: dns, containerPort: 53 }]"), svc("[{ port: 53, targetPort: dns, protocol: UDP }]"));
    expect(ports("services:\n  api: { image: a, ports: ['53:53'] }\n", k8s)).toEqual([expect.stringMatching(/^error port\.service: Service\/api port 53\/udp targets "dns", which container api declares as 53(\/tcp)?: .*no endpoint$/)]);
  });
  it("a Service selecting other pods does not count", () => {
    const other = `apiVersion: v1\nkind: Service\nmetadata: { name: x }\nspec: { selector: { app: other }, ports: [{ port: 80, targetPort: 9999 }] }`;
    expect(ports("services:\n  api: { image: a, ports: ['80:80'] }\n", all(one("[{ containerPort: 80 }]"), svc("[{ port: 80 }]"), other))).toEqual([]);
  });
});

describe("port.no-service", () => {
  it("published ports without a Service: the name others would use does not resolve", () => {
    expect(ports("services:\n  api: { image: a, ports: ['8080:80', '81:81'] }\n", one("[{ containerPort: 80 }, { containerPort: 81 }]"))).toEqual(['warning port.no-service: no Service selects the pods of Deployment/api, so "api:80" does not resolve in the cluster']);
  });
  it("no ports in compose: no Service needed", () => {
    expect(ports("services:\n  api: { image: a }\n", one("[{ containerPort: 80 }]"))).toEqual([]);
  });
  it("an agent reached on the node's IP (every port a hostPort) needs no Service", () => {
    const compose = "services:\n  api: { image: a, ports: ['8125:8125/udp'] }\n";
    const k8s = deploy("        - { name: api, image: a, ports: [{ containerPort: 8125, hostPort: 8125, protocol: UDP }] }", "DaemonSet");
    expect(ports(compose, k8s)).toEqual([]);
    expect(passed(compose, k8s)).toContain("ports 8125/udp on the node's IP (hostPort)");
  });
  it("only some ports on a hostPort: a Service is still needed", () => {
    const k8s = deploy("        - { name: api, image: a, ports: [{ containerPort: 8125, hostPort: 8125 }, { containerPort: 80 }] }", "DaemonSet");
    expect(ports("services:\n  api: { image: a, ports: ['8125:8125', '80:80'] }\n", k8s)).toEqual(['warning port.no-service: no Service selects the pods of DaemonSet/api, so "api:80" does not resolve in the cluster']);
  });
  it("a Service with an empty selector selects nothing", () => {
    const k8s = all(one("[{ containerPort: 80 }]"), `apiVersion: v1\nkind: Service\nmetadata: { name: api }\nspec: { ports: [{ port: 80 }] }`);
    expect(ports("services:\n  api: { image: a, ports: ['80:80'] }\n", k8s)).toEqual(['warning port.no-service: no Service selects the pods of Deployment/api, so "api:80" does not resolve in the cluster']);
  });
});

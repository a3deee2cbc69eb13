// Where a finding points (docs/compare-compose.md, --json `where` / `composeWhere`): the
// container field the rule is about, on both sides, so an editor can jump there.
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { parseManifests } from "../../../src/kube/manifests.js";
import { writeFiles } from "../compose/write-files.js";

const compose = `services:
  api:
    image: a:1
    entrypoint: [run]
    command: [serve]
    ports: ["80:80"]
    environment:
      MODE: fast
    healthcheck:
      test: curl -f http://localhost:80/health
    volumes: ["data:/data"]
    deploy:
      replicas: 2
      resources: { limits: { cpus: "1" } }
volumes: { data: {} }
`;
const k8s = `apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  replicas: 3
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: api
          image: a:2
          command: [other]
          args: [else]
          ports:
            - containerPort: 81
          env:
            - name: MODE
              value: slow
          readinessProbe:
            httpGet: { path: /ready, port: 81 }
          resources:
            limits: { cpu: "2" }
          volumeMounts: []
`;
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
/** A block written under its key (`ports:` then `- containerPort`) is located at the key or at its first line. */
const atBlock = (text: string, key: string) => expect.toBeOneOf([lineOf(text, key), lineOf(text, key) + 1]);

describe("where each finding points", () => {
  const dir = writeFiles({ "compose.yml": compose });
  // Compared inside each test, not once for the block: a mutation tool that maps code to the
  // tests running it (Stryker's per-test coverage) sees none at collection time.
  const at = (rule: string, startsWith = "") => compareStacks(loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }), parseManifests(k8s, "k8s.yaml")).findings.find((f) => f.rule === rule && f.message.startsWith(startsWith))!;
  const k8sLine = (f: { where?: string }) => Number(/^k8s\.yaml:(\d+)/.exec(f.where ?? "")?.[1]);
  const composeLine = (f: { composeWhere?: string }) => Number(/compose\.yml:(\d+)/.exec(f.composeWhere ?? "")?.[1]);
  it("image", () => {
    expect(k8sLine(at("image.mismatch"))).toBe(lineOf(k8s, "image: a:2"));
    expect(composeLine(at("image.mismatch"))).toBe(lineOf(compose, "image: a:1"));
  });
  it("entrypoint ↔ command and command ↔ args", () => {
    expect(k8sLine(at("command.mismatch", "entrypoint"))).toBe(lineOf(k8s, "command: [other]"));
    expect(composeLine(at("command.mismatch", "entrypoint"))).toBe(lineOf(compose, "entrypoint:"));
    expect(k8sLine(at("command.mismatch", "command"))).toBe(lineOf(k8s, "args: [else]"));
    expect(composeLine(at("command.mismatch", "command"))).toBe(lineOf(compose, "command: [serve]"));
  });
  it("ports", () => {
    expect(k8sLine(at("port.mismatch"))).toEqual(atBlock(k8s, "ports:"));
    expect(composeLine(at("port.mismatch"))).toBe(lineOf(compose, '"80:80"'));
  });
  it("an env variable, by its entry", () => {
    expect(k8sLine(at("env.value"))).toBe(lineOf(k8s, "- name: MODE"));
    expect(composeLine(at("env.value"))).toBe(lineOf(compose, "MODE: fast"));
  });
  it("health, resources, volumes and replicas", () => {
    expect(k8sLine(at("health.mismatch"))).toEqual(atBlock(k8s, "readinessProbe:"));
    expect(composeLine(at("health.mismatch"))).toEqual(atBlock(compose, "healthcheck:"));
    expect(k8sLine(at("resources.mismatch"))).toEqual(atBlock(k8s, "resources:"));
    expect(k8sLine(at("volume.missing"))).toEqual(atBlock(k8s, "volumeMounts:"));
    expect(k8sLine(at("replicas.mismatch"))).toBe(lineOf(k8s, "replicas: 3"));
  });
});

describe("when the field is not written", () => {
  it("a variable only in envFrom points at envFrom; a missing one at the object", () => {
    const k = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { MODE: slow }\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  selector: { matchLabels: { app: api } }\n  template:\n    metadata: { labels: { app: api } }\n    spec:\n      containers:\n        - name: api\n          image: a\n          envFrom:\n            - configMapRef: { name: c }\n`;
    const dir = writeFiles({ "compose.yml": "services:\n  api:\n    image: a\n    environment: { MODE: fast, GONE: x }\n" });
    const r = compareStacks(loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }), parseManifests(k, "k.yaml"));
    const w = (rule: string) => Number(/^k\.yaml:(\d+)/.exec(r.findings.find((f) => f.rule === rule)!.where!)![1]);
    expect(w("env.value")).toEqual(atBlock(k, "envFrom:"));
    expect(w("env.missing")).toEqual(atBlock(k, "envFrom:"));
  });
  it("a service without a workload has no manifest place", () => {
    const dir = writeFiles({ "compose.yml": "services:\n  gone:\n    image: g\n" });
    const f = compareStacks(loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }), []).findings[0]!;
    expect(f.rule).toBe("service.missing");
    expect(f.where).toBeUndefined();
  });
});

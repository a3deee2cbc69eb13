// compare-compose rules image.mismatch and command.mismatch (docs/compare-compose.md, Rules and
// "Images"): what counts as the same image and the same argv, and what the user reads.
import { describe, expect, it } from "vitest";
import { compareYaml, deployment as deploy } from "./compare-yaml.js";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks, type CompareOptions } from "../../../src/compare/compare.js";
import { parseManifests } from "../../../src/kube/manifests.js";
import { writeFiles } from "../compose/write-files.js";

const findings = (compose: string, manifests: string, rule: string, opts: CompareOptions = {}) =>
  compareYaml(compose, manifests, opts)
    .findings.filter((f) => !f.ignored && f.rule === rule)
    .map((f) => `${f.severity} ${f.service}: ${f.message}`);
const passed = (compose: string, manifests: string, service: string, opts: CompareOptions = {}) => compareYaml(compose, manifests, opts).services.find((s) => s.service === service)?.passed ?? [];

describe("images pulled as they are: the whole reference", () => {
  it("another tag is drift, named as a tag difference with its own hint", () => {
    const r = compareYaml("services:\n  cache: { image: redis:7 }\n", deploy("cache", "{ name: cache, image: redis:6 }"));
    const f = r.findings.find((x) => x.rule === "image.mismatch")!;
    expect(f).toMatchObject({ severity: "error", message: "image tag: compose redis:7 ≠ k8s redis:6", compose: "redis:7", k8s: "redis:6", hint: "run the same version on both sides: the tag (no tag means latest) or the digest must be equal" });
  });
  it("two digests are compared as digests", () => {
    const a = "redis@sha256:" + "a".repeat(64);
    const b = "redis@sha256:" + "b".repeat(64);
    expect(findings(`services:\n  cache: { image: "${a}" }\n`, deploy("cache", `{ name: cache, image: "${b}" }`), "image.mismatch")).toEqual([`error cache: image digest: compose ${a} ≠ k8s ${b}`]);
  });
  it("no tag is latest; Docker Hub's long names are the short ones", () => {
    expect(findings("services:\n  cache: { image: redis }\n", deploy("cache", "{ name: cache, image: 'docker.io/library/redis:latest' }"), "image.mismatch")).toEqual([]);
    expect(passed("services:\n  cache: { image: redis }\n", deploy("cache", "{ name: cache, image: 'docker.io/library/redis:latest' }"), "cache")).toContain("image docker.io/library/redis:latest");
  });
  it("another repository is drift, whatever the tag", () => {
    expect(findings("services:\n  db: { image: postgres:16 }\n", deploy("db", "{ name: db, image: 'mysql:16' }"), "image.mismatch")).toEqual(["error db: image: compose postgres:16 ≠ k8s mysql:16"]);
  });
  it("a container without an image is (none)", () => {
    expect(findings("services:\n  db: { image: postgres:16 }\n", deploy("db", "{ name: db }"), "image.mismatch")).toEqual(["error db: image: compose postgres:16 ≠ k8s (none)"]);
  });
});

describe("images built from source: the repository only", () => {
  it("a devenv.ts image built from the compose build context: any tag", () => {
    const dir = writeFiles({ "compose.yml": "services:\n  api: { build: ./api }\n" });
    const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
    const r = compareStacks(project, parseManifests(deploy("api", "{ name: api, image: 'team/api:devenv-abc' }"), "t.yaml"), { images: [{ repository: "team/api", context: `${dir}/api/`, dockerfile: "Dockerfile" }] });
    expect(r.findings).toEqual([]);
    expect(r.services[0]!.passed).toContain("image team/api");
  });
  it("a build without a devenv.ts entry runs under a name compose gives it, its context's directory, or <owner>/<x>-<service>", () => {
    for (const image of ["api", "backend", "proj-api", "proj_api", "acme/shop-api:1", "acme/shop_api"]) {
      const r = compareYaml("name: proj\nservices:\n  api: { build: ./backend }\n", deploy("api", `{ name: api, image: '${image}' }`));
      expect(r.findings.filter((f) => f.rule === "image.mismatch"), image).toEqual([]);
      expect(r.services[0]!.passed.some((p) => p.endsWith("(by build context name)")), image).toBe(true);
    }
  });
  it("a build under an unrelated name is a warning (the context cannot be resolved) with the devenv.ts hint", () => {
    const r = compareYaml("name: proj\nservices:\n  api: { build: ./backend }\n", deploy("api", "{ name: api, image: 'acme/frontend:1' }"));
    const f = r.findings.find((x) => x.rule === "image.mismatch")!;
    expect(f.severity).toBe("warning");
    expect(f.message).toMatch(/^image: compose build .*backend ≠ k8s acme\/frontend:1$/);
    expect(f.hint).toBe("add a devenv.ts images entry whose context is the compose build context, so devenv knows which repository it becomes");
  });
  it("an image another compose service builds (build: + image:) compares by repository", () => {
    const compose = "services:\n  api: { build: ./api, image: 'shop/api:dev' }\n  worker: { image: 'shop/api:dev', command: [worker] }\n";
    const k8s = [deploy("api", "{ name: api, image: 'shop/api:abc' }"), deploy("worker", "{ name: worker, image: 'shop/api:abc', args: [worker] }")].join("\n---\n");
    expect(findings(compose, k8s, "image.mismatch")).toEqual([]);
    expect(passed(compose, k8s, "worker")).toContain("image shop/api");
  });
  it("compose's own image name for a build, with another repository in k8s, is an error", () => {
    expect(findings("services:\n  api: { build: ./api, image: 'shop/api:dev' }\n", deploy("api", "{ name: api, image: 'shop/other:dev' }"), "image.mismatch")).toEqual(["error api: image: compose shop/api:dev ≠ k8s shop/other:dev"]);
  });
});

describe("command.mismatch", () => {
  it("the same argv split differently (compose command ↔ k8s command) is equal", () => {
    const compose = "services:\n  api: { image: a, command: [node, server.js, --port, '80'] }\n";
    expect(findings(compose, deploy("api", "{ name: api, image: a, command: [node], args: [server.js, --port, '80'] }"), "command.mismatch")).toEqual([]);
    expect(passed(compose, deploy("api", "{ name: api, image: a, command: [node], args: [server.js, --port, '80'] }"), "api")).toContain('argv ["node","server.js","--port","80"]');
  });
  it("compose entrypoint + command ↔ k8s args only is not the same split: both halves compared", () => {
    const compose = "services:\n  api: { image: a, entrypoint: [node], command: [server.js] }\n";
    expect(findings(compose, deploy("api", "{ name: api, image: a, command: [node], args: [server.js] }"), "command.mismatch")).toEqual([]);
    expect(passed(compose, deploy("api", "{ name: api, image: a, command: [node], args: [server.js] }"), "api")).toEqual(expect.arrayContaining(['entrypoint ["node"]', 'command ["server.js"]']));
  });
  it("only one side sets it: a warning naming the image default", () => {
    expect(findings("services:\n  api: { image: a, command: [serve] }\n", deploy("api", "{ name: api, image: a }"), "command.mismatch")).toEqual([expect.stringMatching(/^warning api: command ↔ args: compose \["serve"\] ≠ k8s "?\(image default\)"?$/)]);
    expect(findings("services:\n  api: { image: a }\n", deploy("api", "{ name: api, image: a, command: [run] }"), "command.mismatch")).toEqual([expect.stringMatching(/^warning api: entrypoint ↔ command: compose "?\(image default\)"? ≠ k8s \["run"\]$/)]);
  });
  it("both sides set and differ: an error, with both argv for --json", () => {
    const r = compareYaml("services:\n  api: { image: a, entrypoint: [a] }\n", deploy("api", "{ name: api, image: a, command: [b] }"));
    expect(r.findings.find((f) => f.rule === "command.mismatch")).toMatchObject({ severity: "error", message: 'entrypoint ↔ command: compose ["a"] ≠ k8s ["b"]', compose: '["a"]', k8s: '["b"]', workload: "Deployment/api" });
  });
  it("host names in arguments compare by what they resolve to", () => {
    const compose = "services:\n  db: { image: d }\n  api: { image: a, command: [--db, 'db:5432'] }\n";
    const k8s = [deploy("db", "{ name: db, image: d }"), "apiVersion: v1\nkind: Service\nmetadata: { name: db }\nspec: { selector: { app: db }, ports: [{ port: 5432 }] }", deploy("api", "{ name: api, image: a, args: [--db, 'db.default.svc.cluster.local:5432'] }")].join("\n---\n");
    expect(findings(compose, k8s, "command.mismatch")).toEqual([]);
  });
  it("an argument taken from a Secret is never printed", () => {
    const k8s = [
      "apiVersion: v1\nkind: Secret\nmetadata: { name: s }\nstringData: { tok: s3cr3t-Value-99 }",
      deploy("api", "{ name: api, image: a, env: [{ name: T, valueFrom: { secretKeyRef: { name: s, key: tok } } }], args: [--mode, $(T)] }"),
    ].join("\n---\n");
    const r = compareYaml("services:\n  api: { image: a, command: [--mode, other] }\n", k8s);
    const f = r.findings.find((x) => x.rule === "command.mismatch")!;
    expect(f.message).toBe('command ↔ args: compose ["--mode","other"] ≠ k8s ["--mode","***"]');
    expect(JSON.stringify(r)).not.toContain("s3cr3t-Value-99");
  });
  it("$(VAR) in args expands from the container's env before comparing", () => {
    const k8s = deploy("api", "{ name: api, image: a, env: [{ name: PORT, value: '80' }], args: [--port, $(PORT)] }");
    expect(findings("services:\n  api: { image: a, command: [--port, '80'] }\n", k8s, "command.mismatch")).toEqual([]);
  });
});

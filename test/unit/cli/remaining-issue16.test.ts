// The rest of issue 16 through the real CLI: conflicting reset scopes, an empty --only, --env
// naming a directory, init into a missing directory, `up --dry-run` with an empty seed directory
// or a secret whose env var is unset (no value printed), a non-UTF-8 manifest (byte offset), a
// kustomize render that times out (and how to raise the limit), a missing compose extends.file
// (its line). Each: the exit code, the message, no stack trace.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { devenv } from "../../helpers/cli.js";
import { firstInvalidUtf8, kustomizeTimeoutMs } from "../../../src/kube/manifests.js";

// Each case runs the real CLI (a child node with tsx): slower than a unit test under a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

let dir: string;
const write = (rel: string, text: string | Buffer) => {
  mkdirSync(join(dir, rel, ".."), { recursive: true });
  writeFileSync(join(dir, rel), text);
};
const env = (name: string, body: string) => write(name, `import { defineEnv } from "devenv-k8s";\nexport default defineEnv({\n  name: "demo",\n${body}\n});\n`);
const DEPLOY = (secret?: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec: { selector: { matchLabels: { a: api } }, template: { metadata: { labels: { a: api } }, spec: { containers: [{ name: api, image: demo/api${secret ? `, env: [{ name: P, valueFrom: { secretKeyRef: { name: ${secret}, key: password } } }]` : ""} }] } } }\n`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "devenv-issue16-cli-"));
  env("devenv.ts", "");
  mkdirSync(join(dir, "seed", "empty"), { recursive: true });
  env("seed.ts", `  seeds: { postgres: { app: { database: "app", sql: "seed/empty", target: { compose: "db", service: "db" } } } },`);
  write("k8s/api.yaml", DEPLOY("creds"));
  env("secret.ts", `  manifests: { files: ["k8s/api.yaml"] },\n  secrets: { creds: { password: { env: "DEVENV_TEST_UNSET_SECRET" } } },`);
  write("latin1/cm.yaml", Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\ndata: { city: "Montr'), Buffer.from([0xe9]), Buffer.from('al" }\n')]));
  env("latin1.ts", `  manifests: { files: ["latin1/cm.yaml"] },`);
  write("kz/kustomization.yaml", "resources: []\n");
  env("kz.ts", `  manifests: { kustomize: "kz" },`);
  write("bin/kubectl", "#!/bin/sh\nexec sleep 10\n");
  chmodSync(join(dir, "bin", "kubectl"), 0o755);
  write("compose/docker-compose.yml", "services:\n  web:\n    image: nginx\n    extends:\n      file: base/missing.yml\n      service: web\n");
  env("compose.ts", `  compose: { files: ["compose/docker-compose.yml"] },`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[], extraEnv: Record<string, string> = {}) {
  const r = await devenv(args, { cwd: dir, env: extraEnv });
  expect(r.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  expect(r.stderr).not.toMatch(/unexpected error|this is a bug/);
  return r;
}

describe("flags", () => {
  it("reset with more than one scope → exit 2, naming them", async () => {
    const r = await run(["reset", "--data", "--cluster", "--all", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/devenv reset takes one scope, not --data --cluster --all/);
    expect(r.stderr).toMatch(/hint: pass one of --data/);
    expect((await run(["reset", "--cluster", "--all", "--dry-run"])).code).toBe(2);
  });

  it("--only '' (or only commas) → exit 2 listing the steps, not a full up", async () => {
    for (const only of ["", ", ,"]) {
      const r = await run(["up", "--dry-run", `--only=${only}`]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--only ".*" names no step/);
      expect(r.stderr).toMatch(/ensure-cluster/);
      expect(r.stdout).not.toMatch(/Plan for/);
    }
  });
});

describe("--env", () => {
  it("a directory, or '.' → exit 2 'is a directory: name the devenv.ts file'", async () => {
    for (const name of [".", "seed"]) {
      const r = await run(["--env", name, "up", "--dry-run"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`--env ${name === "." ? "\\." : name} is a directory: name the devenv.ts file`));
    }
  });

  it("init --env into a missing directory → exit 2 with the fix, nothing written", async () => {
    const r = await run(["--env", "nowhere/devenv.ts", "init"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write nowhere\/devenv\.ts: directory .*nowhere does not exist/);
    expect(r.stderr).toMatch(/hint: create it first \(mkdir -p /);
    expect(existsSync(join(dir, "nowhere"))).toBe(false);
  });
});

describe("up --dry-run checks what up would fail on", () => {
  it("an empty seed directory", async () => {
    const r = await run(["--env", "seed.ts", "up", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/seeds\.postgres\.app\.sql: .*seed\/empty has no \.sql files/);
  });

  it("a secret whose env var is unset; set, the plan passes and never shows the value", async () => {
    const r = await run(["--env", "secret.ts", "up", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Secret "creds" key "password" reads \$DEVENV_TEST_UNSET_SECRET, which is set neither in the environment nor in/);
    expect(r.stderr).toMatch(/secret\.ts \(secrets\.creds\.password\)/);
    const ok = await run(["--env", "secret.ts", "up", "--dry-run"], { DEVENV_TEST_UNSET_SECRET: "hunter2-very-secret" });
    expect(ok.code).toBe(0);
    expect(ok.stdout + ok.stderr).not.toContain("hunter2-very-secret");
  });
});

describe("manifests", () => {
  it("a non-UTF-8 file → exit 2 naming the file, line and byte offset", async () => {
    const r = await run(["--env", "latin1.ts", "up", "--dry-run"]);
    expect(r.code).toBe(2);
    const offset = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\ndata: { city: "Montr'.length;
    expect(r.stderr).toContain(`manifest latin1/cm.yaml is not UTF-8: invalid byte 0xe9 at byte offset ${offset}`);
    expect(r.stderr).toMatch(/at latin1\/cm\.yaml:4\n/);
  });

  it("a kustomize render past the timeout says so and how to raise it", async () => {
    const r = await run(["--env", "kz.ts", "up", "--dry-run"], { PATH: `${join(dir, "bin")}:${process.env.PATH ?? ""}`, DEVENV_KUSTOMIZE_TIMEOUT_MS: "300" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/`kubectl kustomize kz` timed out after 0\.3 s/);
    expect(r.stderr).toMatch(/DEVENV_KUSTOMIZE_TIMEOUT_MS=600/);
    expect(r.stderr).not.toMatch(/failed to render/);
  });

  it("the timeout's env var is validated, the offset finder skips real U+FFFD", () => {
    expect(kustomizeTimeoutMs(undefined)).toBe(60_000);
    expect(kustomizeTimeoutMs("120000")).toBe(120_000);
    expect(() => kustomizeTimeoutMs("1m")).toThrow(/DEVENV_KUSTOMIZE_TIMEOUT_MS is "1m", not a number of milliseconds/);
    const bytes = Buffer.concat([Buffer.from("a\uFFFDb\n"), Buffer.from([0xc3, 0x28])]);
    expect(firstInvalidUtf8(bytes)).toEqual({ offset: 6, line: 2 });
  });
});

describe("compose", () => {
  it("a missing extends.file points at its line", async () => {
    const r = await run(["--env", "compose.ts", "up", "--target", "compose", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/service "web" extends a file that does not exist: .*base\/missing\.yml/);
    expect(r.stderr).toMatch(/at .*docker-compose\.yml:5:\d+/);
  });
});

// compare-compose and convert end to end: the real CLI, the real `kubectl kustomize`, exit
// codes 0 / 2 / 3, --json, bad input, and the two reference stacks.
import { mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { devenv, repoRoot } from "../../helpers/cli.js";
import { generateCompose } from "../../fixtures/compare/generate-stack.js";

const pitfalls = fileURLToPath(new URL("../../fixtures/compare/pitfalls", import.meta.url));
const fromSource = { DEVENV_FROM_SOURCE: "1" };
const cli = (args: string[], env: Record<string, string> = {}, cwd?: string) => devenv(args, { env: { ...fromSource, ...env }, cwd });
const tmp = () => mkdtempSync(join(tmpdir(), "devenv-compare-"));

describe("devenv compare-compose", () => {
  it("reports the seeded pitfalls grouped by service and exits 3; --json lists every finding", async () => {
    const text = await cli(["compare-compose", "--compose", `${pitfalls}/compose.yml`, "--k8s", `${pitfalls}/k8s`]);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/✗ frontend ↔ Deployment\/frontend/);
    expect(text.stdout).toMatch(/✗ compose listens on 3000, k8s on 3001 \[port\.mismatch\]/);
    expect(text.stdout).toMatch(/✗ drift found — 7 services: 6 errors, 1 warning, 1 note \(exit 3\)/);
    expect(text.stdout).not.toMatch(/dev-password|dev-secret-key/);

    const json = await cli(["--json", "compare-compose", "--compose", `${pitfalls}/compose.yml`, "--k8s", `${pitfalls}/k8s`, "--ignore", "port.mismatch"]);
    expect(json.code).toBe(3);
    const out = JSON.parse(json.stdout) as { outcome: string; findings: { rule: string; ignored?: boolean }[]; summary: { errors: number; ignored: number } };
    expect(out.outcome).toBe("drift");
    expect(out.findings.find((f) => f.rule === "port.mismatch")!.ignored).toBe(true);
    expect(out.summary).toMatchObject({ errors: 5, ignored: 1 });
  });

  it("bad input exits 2 with a clear message: malformed YAML, missing file, :? error, unknown rule", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "bad.yml"), "services:\n  api:\n    image: x\n   ports: [1\n");
    writeFileSync(join(dir, "req.yml"), "services:\n  db:\n    image: postgres\n    environment: { P: \"${PG_PASSWORD:?set it}\" }\n");
    const bad = await cli(["compare-compose", "--compose", join(dir, "bad.yml"), "--k8s", `${pitfalls}/k8s`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/malformed YAML in .*bad\.yml/);
    expect(bad.stderr).toMatch(/at .*bad\.yml:\d+:\d+/);
    const missing = await cli(["compare-compose", "--compose", join(dir, "nope.yml"), "--k8s", `${pitfalls}/k8s`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/compose file not found: .*nope\.yml/);
    const req = await cli(["compare-compose", "--compose", join(dir, "req.yml"), "--k8s", `${pitfalls}/k8s`], { PG_PASSWORD: "" });
    expect(req.code).toBe(2);
    expect(req.stderr).toMatch(/variable PG_PASSWORD: set it \(in .*req\.yml\)/);
    expect(req.stderr).toMatch(/req\.yml:4:\d+/);
    const rule = await cli(["compare-compose", "--compose", `${pitfalls}/compose.yml`, "--k8s", `${pitfalls}/k8s`, "--ignore", "no.such-rule"]);
    expect(rule.code).toBe(2);
    expect(rule.stderr).toMatch(/unknown rule "no\.such-rule"/);
  });

  it("a kustomize error passes kubectl's message through (exit 2); no kubectl gives a clear hint (exit 2)", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "kustomization.yaml"), "resources: [missing.yaml]\n");
    const broken = await cli(["compare-compose", "--compose", `${pitfalls}/compose.yml`, "--k8s", dir]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/kustomize failed to render/);
    expect(broken.stderr).toMatch(/missing\.yaml/); // kubectl's own words
    const bin = tmp();
    symlinkSync(process.execPath, join(bin, "node"));
    const noKubectl = await cli(["compare-compose", "--compose", `${pitfalls}/compose.yml`, "--k8s", dir], { PATH: bin });
    expect(noKubectl.code).toBe(2);
    expect(noKubectl.stderr).toMatch(/kubectl is not installed/);
    expect(noKubectl.stderr).toMatch(/hint: install kubectl/);
  });

  // AgentForge is the embedded default: its one definition is the root devenv.ts.
  for (const [stack, env] of [["codebeaker", join(repoRoot, "fixtures/codebeaker/devenv.ts")], ["agentforge", join(repoRoot, "devenv.ts")]] as const) {
    it(`the ${stack} reference stack compares as equivalent (exit 0)`, async () => {
      const r = await cli(["--json", "--env", env, "compare-compose"]);
      const out = JSON.parse(r.stdout) as { outcome: string; findings: { rule: string; severity: string; ignored?: boolean; message: string }[] };
      expect(out.findings.filter((f) => !f.ignored && f.severity !== "info").map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
      expect(r.code).toBe(0);
      expect(out.outcome).toBe("equivalent");
    });
  }

  it("AgentForge with compose's monitoring profile on: compared with the monitoring Component (compare.profiles), still equivalent", async () => {
    const r = await cli(["--json", "--env", join(repoRoot, "devenv.ts"), "compare-compose", "--profile", "monitoring"]);
    const out = JSON.parse(r.stdout) as { outcome: string; findings: { rule: string; severity: string; ignored?: boolean; message: string }[]; services: { service: string; workload?: string }[] };
    expect(out.findings.filter((f) => !f.ignored && f.severity !== "info").map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
    expect(r.code).toBe(0);
    expect(out.services.filter((s) => ["prometheus", "grafana"].includes(s.service)).map((s) => `${s.service} ${s.workload}`)).toEqual(["prometheus Deployment/prometheus", "grafana Deployment/grafana"]);
    // Without the mapping the same profile leaves Prometheus and Grafana without workloads.
    const bare = await cli(["--json", "compare-compose", "--compose", join(repoRoot, "compose/docker-compose.yml"), "--env-file", join(repoRoot, "compose/.env.example"), "--k8s", join(repoRoot, "fixtures/agentforge/k8s/overlays/dev"), "--profile", "monitoring"]);
    expect(bare.code).toBe(3);
    expect((JSON.parse(bare.stdout) as { findings: { rule: string; service: string }[] }).findings.filter((f) => f.rule === "service.missing").map((f) => f.service).sort()).toEqual(["grafana", "prometheus"]);
  });
});

describe("devenv convert", () => {
  it("writes a kustomize base that kubectl renders and that compares equal to its compose setup", async () => {
    const out = join(tmp(), "base");
    const conv = await cli(["--json", "convert", "--compose", `${pitfalls}/compose.yml`, "--out", out, "--namespace", "agentforge"]);
    expect(conv.code).toBe(0);
    const written = JSON.parse(conv.stdout) as { files: string[]; order: Record<string, { after: string[] }> };
    expect(written.files).toEqual(expect.arrayContaining(["kustomization.yaml", "backend.yaml", "volumes.yaml", "backend-secret.env", ".gitignore", "namespace.yaml"]));
    // Ordering that devenv's waves do not give goes to devenv.ts (none here: backend is a Deployment).
    const dir = join(out, "..");
    writeFileSync(join(dir, "devenv.ts"), `export default ${JSON.stringify({ name: "agentforge", compose: { files: [`${pitfalls}/compose.yml`] }, manifests: { kustomize: "base" }, order: written.order })};\n`);
    const r = await cli(["compare-compose"], {}, dir);
    expect(r.stdout).toMatch(/✓ equivalent/);
    expect(r.code).toBe(0);
  });

  it("round-trips a generated 30-service stack through kubectl kustomize", async () => {
    const dir = tmp();
    writeFileSync(join(dir, "compose.yml"), generateCompose(42, 30));
    const conv = await cli(["convert", "--compose", "compose.yml", "--out", "k8s"], {}, dir);
    expect(conv.code).toBe(0);
    expect(conv.stdout).toMatch(/wrote \d+ files to k8s \(31 services\)/);
    const r = await cli(["--json", "compare-compose", "--compose", "compose.yml", "--k8s", "k8s"], {}, dir);
    const out = JSON.parse(r.stdout) as { findings: { rule: string; severity: string; ignored?: boolean; message: string }[] };
    expect(out.findings.filter((f) => !f.ignored && f.severity !== "info").map((f) => f.message)).toEqual([]);
    expect(r.code).toBe(0);
  });
});

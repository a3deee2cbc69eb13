// `devenv convert` end to end on the bind-mount fixture (issue 13): run from another directory
// (bind sources are relative to the compose file), the real `kubectl kustomize` renders the base,
// compare-compose finds it equivalent (exit 0), and the flagged command is printed.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { devenv } from "../../helpers/cli.js";

const fixture = fileURLToPath(new URL("../../fixtures/compare/convert/mounts", import.meta.url));
const cli = (args: string[], cwd: string) => devenv(args, { env: { DEVENV_FROM_SOURCE: "1" }, cwd });

describe("devenv convert: bind mounts, kompose labels, UDP", () => {
  it("writes a base that renders and compares equal; prints what will not work", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "devenv-convert-"));
    const conv = await cli(["convert", "--compose", join(fixture, "compose.yml"), "--out", "k8s"], cwd);
    expect(conv.code).toBe(0);
    expect(conv.stdout).toMatch(/! worker: the command uses \/scripts\/check\.py, from a bind mount convert dropped/);
    expect(conv.stdout).toMatch(/i db: bind mount \.\/healthchecks → \/healthchecks becomes ConfigMap\/db-healthchecks/);
    expect(readFileSync(join(cwd, "k8s", "db.yaml"), "utf8")).toContain("pg_isready -U postgres");
    const r = await cli(["--json", "compare-compose", "--compose", join(fixture, "compose.yml"), "--k8s", "k8s"], cwd);
    const out = JSON.parse(r.stdout) as { findings: { severity: string; message: string }[] };
    expect(out.findings.filter((f) => f.severity !== "info").map((f) => f.message)).toEqual([]);
    expect(r.code).toBe(0);
  });
});

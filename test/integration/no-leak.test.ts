// Nothing leaks (issue 16): a marker planted in .env, compose env/command/healthcheck/build args,
// manifest env/args/probes, Secret data and devenv.ts secrets/build args never appears in any
// output of the commands that need no cluster (text, --json, -v), nor in any file they write
// outside .devenv/secrets/ and convert's git-ignored secret env files.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { devenv, repoRoot } from "../helpers/cli.js";

const MARKER = "s3cr3t-MARKER-7f3a";
const fixture = join(repoRoot, "test", "fixtures", "no-leak");

let root: string;
let before: Map<string, string>;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "devenv-no-leak-"));
  cpSync(fixture, root, { recursive: true });
  writeFileSync(join(root, "bad.env"), `OK=1\nDB_PASSWORD: ${MARKER}\n`);
  writeFileSync(join(root, "unclosed.env"), `DB_PASSWORD=${MARKER}\${TAIL\n`);
  before = snapshot(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}
function snapshot(dir: string): Map<string, string> {
  return new Map(walk(dir).map((f) => [relative(dir, f), readFileSync(f, "utf8")]));
}

const runs: [string, string[], number[]][] = [
  ["compare-compose", ["compare-compose"], [3]],
  ["compare-compose --json", ["compare-compose", "--json"], [3]],
  ["compare-compose -v", ["compare-compose", "-v"], [3]],
  ["compare-compose on a malformed .env", ["compare-compose", "--compose", "compose.yml", "--env-file", "bad.env", "--k8s", "k8s"], [2]],
  ["compare-compose on an unclosed ${", ["compare-compose", "--compose", "compose.yml", "--env-file", "unclosed.env", "--k8s", "k8s"], [2]],
  ["convert", ["convert", "--compose", "compose.yml", "--env-file", ".env", "--out", "out"], [0]],
  ["convert --json -v", ["convert", "--compose", "compose.yml", "--env-file", ".env", "--out", "out-json", "--json", "-v"], [0]],
  ["up --dry-run", ["up", "--dry-run"], [0, 1, 2]],
  ["up --dry-run --json", ["up", "--dry-run", "--json"], [0, 1, 2]],
  ["up --dry-run -v", ["up", "--dry-run", "-v"], [0, 1, 2]],
  ["doctor --json", ["doctor", "--json"], [0, 1]],
  ["init (failing: devenv.ts exists)", ["init"], [1, 2]],
];

describe("a planted secret marker", () => {
  it.each(runs)("%s: not in stdout or stderr", async (_label, args, codes) => {
    const r = await devenv(args, { cwd: root, env: { PATH: process.env.PATH ?? "" } });
    expect(codes).toContain(r.code);
    expect(r.stdout).not.toContain(MARKER);
    expect(r.stderr).not.toContain(MARKER);
    expect(`${r.stdout}\n${r.stderr}`).not.toContain("MARKER");
    // Bad input: one clear message, no stack trace (unless -v asked for one).
    if (r.code === 2 && !args.includes("-v")) expect(r.stderr).not.toMatch(/\n\s+at .*\(.*\.[jt]s:\d+:\d+\)/);
  }, 60_000);

  it("bad .env input names the file:line and key", async () => {
    const r = await devenv(runs[3]![1], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/malformed line 2 in .*bad\.env: DB_PASSWORD is followed by ":", not "="/);
    expect(r.stderr).toMatch(/at .*bad\.env:2:1/);
    expect(r.stderr).toMatch(/hint: write DB_PASSWORD=VALUE/);
    const u = await devenv(runs[4]![1], { cwd: root });
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/unclosed\.env: the value of DB_PASSWORD: unclosed "\$\{" in \$\{TAIL/);
    expect(u.stderr).toMatch(/at .*unclosed\.env:1:1/);
  }, 60_000);

  it("is in no file written outside .devenv/secrets/ and the git-ignored secret env files", () => {
    const after = snapshot(root);
    const written = [...after].filter(([f, text]) => before.get(f) !== text);
    expect(written.map(([f]) => f)).toEqual(expect.arrayContaining(["out/kustomization.yaml", "out/.gitignore"]));
    const allowed = (f: string) => f.startsWith(".devenv/secrets/") || (/^out(-json)?\/[^/]+-secret\.env$/.test(f) && /^\*\.env$/m.test(after.get(f.replace(/[^/]+$/, ".gitignore")) ?? ""));
    const leaks = written.filter(([f, text]) => !allowed(f) && text.includes(MARKER)).map(([f]) => f);
    expect(leaks).toEqual([]);
    // The secret env files exist (the values went somewhere safe), 0600.
    for (const f of written.map(([x]) => x).filter((x) => x.endsWith("-secret.env"))) expect(statSync(join(root, f)).mode & 0o777).toBe(0o600);
    for (const f of written.map(([x]) => x).filter((x) => x.startsWith(".devenv/"))) expect(statSync(join(root, f)).mode & 0o777).toBe(0o600);
  });
});

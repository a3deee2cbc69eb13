// Everything devenv writes under .devenv/: 0600 files in a 0700 directory with a `.gitignore` of `*`.
import { afterAll, describe, expect, it } from "vitest";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureStateDir, writeStateFile, writeStateFileSync } from "../../../src/files/state-dir.js";
import { writeState } from "../../../src/cluster/state.js";

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
const root = () => {
  const r = mkdtempSync(join(tmpdir(), "devenv-state-"));
  roots.push(r);
  return r;
};
const mode = (p: string) => statSync(p).mode & 0o777;

describe(".devenv/ state files", () => {
  it("creates .devenv 0700 with a .gitignore of * when it first writes", async () => {
    const r = root();
    const file = await writeStateFile(r, "kind-devenv.yaml", "kind: Cluster\n");
    expect(file).toBe(join(r, ".devenv", "kind-devenv.yaml"));
    expect(mode(join(r, ".devenv"))).toBe(0o700);
    expect(readFileSync(join(r, ".devenv", ".gitignore"), "utf8")).toBe("*\n");
    expect(mode(join(r, ".devenv", ".gitignore"))).toBe(0o600);
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file, "utf8")).toBe("kind: Cluster\n");
  });

  it("sub-directories are 0700 too", () => {
    const r = root();
    const file = writeStateFileSync(r, "secrets/db.json", "{}\n");
    expect(mode(join(r, ".devenv", "secrets"))).toBe(0o700);
    expect(mode(file)).toBe(0o600);
  });

  it("tightens an existing 0644 file, a 0755 directory and a missing .gitignore", async () => {
    const r = root();
    mkdirSync(join(r, ".devenv", "secrets"), { recursive: true, mode: 0o755 });
    chmodSync(join(r, ".devenv"), 0o755);
    chmodSync(join(r, ".devenv", "secrets"), 0o755);
    writeFileSync(join(r, ".devenv", "compose.x.override.yml"), "old\n", { mode: 0o644 });
    chmodSync(join(r, ".devenv", "compose.x.override.yml"), 0o644);
    writeFileSync(join(r, ".devenv", "secrets", "db.json"), "{}", { mode: 0o644 });
    chmodSync(join(r, ".devenv", "secrets", "db.json"), 0o644);
    await writeState(r, "compose.x.override.yml", "new\n");
    writeStateFileSync(r, "secrets/db.json", "{}\n");
    expect(mode(join(r, ".devenv"))).toBe(0o700);
    expect(mode(join(r, ".devenv", "secrets"))).toBe(0o700);
    expect(mode(join(r, ".devenv", "compose.x.override.yml"))).toBe(0o600);
    expect(mode(join(r, ".devenv", "secrets", "db.json"))).toBe(0o600);
    expect(readFileSync(join(r, ".devenv", "compose.x.override.yml"), "utf8")).toBe("new\n");
    expect(readFileSync(join(r, ".devenv", ".gitignore"), "utf8")).toBe("*\n");
  });

  it("keeps a user's .gitignore but fixes its mode", () => {
    const r = root();
    mkdirSync(join(r, ".devenv"));
    writeFileSync(join(r, ".devenv", ".gitignore"), "*\n!README\n", { mode: 0o644 });
    ensureStateDir(r);
    expect(readFileSync(join(r, ".devenv", ".gitignore"), "utf8")).toBe("*\n!README\n");
    expect(mode(join(r, ".devenv", ".gitignore"))).toBe(0o600);
  });

  it("refuses names outside .devenv/", () => {
    const r = root();
    expect(() => writeStateFileSync(r, "../escape", "x")).toThrow(/outside \.devenv/);
    expect(() => writeStateFileSync(r, "", "x")).toThrow(/outside \.devenv/);
  });
});

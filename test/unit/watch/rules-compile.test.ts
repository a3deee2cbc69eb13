// How devenv.ts sync settings are read: paths written in any of the usual ways mean the same.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ALWAYS_IGNORED, compileRules, isDirSource, loadRules, missingSources } from "../../../src/watch/rules.js";
import { envWith } from "./fixtures.js";

const root = mkdtempSync(join(tmpdir(), "devenv-rules-"));
mkdirSync(join(root, "web", "src"), { recursive: true });
writeFileSync(join(root, "web", "server.js"), "");
writeFileSync(join(root, "web", ".dockerignore"), "*.log\n");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("compileRules", () => {
  it("normalises sync sources and targets: ./src/, src and src\\ are the same rule; . and ./ the whole context", () => {
    const r = compileRules(envWith({ sync: [{ from: "./src/", to: "/app/src/" }, { from: ".\\lib\\", to: "/app/lib" }, { from: "./", to: "/app/" }, { from: ".", to: "/" }] }, root), "web", []);
    expect(r.sync).toEqual([
      { from: "src", to: "/app/src" },
      { from: "lib", to: "/app/lib" },
      { from: ".", to: "/app" },
      { from: ".", to: "/" },
    ]);
  });
  it("a Dockerfile path is relative to the context, posix, without ./", () => {
    expect(compileRules(envWith({ dockerfile: ".\\docker\\Dev.Dockerfile" }, root), "web", []).dockerfile).toBe("docker/Dev.Dockerfile");
  });
  it("ignores what is always ignored, the .dockerignore patterns and watch.ignore; case matters", () => {
    const r = compileRules(envWith({}, root, { ignore: ["*.tmp"] }), "web", ["*.log"]);
    for (const p of [".git/HEAD", "a/node_modules/x.js", ".devenv/state", "x.log", "y.tmp"]) expect(r.ignored.ignores(p)).toBe(true);
    expect(r.ignored.ignores("X.LOG")).toBe(false);
    expect(r.ignored.ignores("src/a.js")).toBe(false);
    expect(ALWAYS_IGNORED).toContain("node_modules");
  });
  it("rebuildOn is compiled only when given", () => {
    expect(compileRules(envWith({}, root), "web", []).rebuildOn).toBeUndefined();
    expect(compileRules(envWith({ rebuildOn: ["package.json"] }, root), "web", []).rebuildOn?.ignores("package.json")).toBe(true);
  });
  it("an unknown image is a config error listing the known ones", () => {
    expect(() => compileRules(envWith({}, root), "api", [])).toThrow(expect.objectContaining({ message: 'unknown image "api"', hint: "images in devenv.ts: web" }));
  });
  it("loadRules reads the context's .dockerignore", async () => {
    const r = await loadRules(envWith({}, root), "web");
    expect(r.contextDir).toBe(join(root, "web"));
    expect(r.ignored.ignores("debug.log")).toBe(true);
  });
});

describe("sync sources on disk", () => {
  const r = compileRules(envWith({ sync: [{ from: "src", to: "/app/src" }, { from: "server.js", to: "/app/server.js" }, { from: "gone", to: "/app/gone" }] }, root), "web", []);
  it("a missing source is reported with where it is written; the others are fine", () => {
    const missing = missingSources(r);
    expect(missing.map((m) => [m.rule.from, m.error.where])).toEqual([["gone", "images.web.sync[2].from"]]);
    expect(missing[0]!.error.message).toContain('sync source "gone" does not exist');
  });
  it("a directory or a missing source counts as a directory, a file does not", () => {
    expect(r.sync.map((rule) => isDirSource(r, rule))).toEqual([true, false, true]);
  });
});

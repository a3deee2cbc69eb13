import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, symlinkSync, readlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { initialCopies, packCopies } from "../../../src/watch/tar.js";
import { compileRules, missingSources } from "../../../src/watch/rules.js";
import { envWith } from "./fixtures.js";

const root = mkdtempSync(join(tmpdir(), "devenv-watch-tar-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string, mode = 0o644): void {
  mkdirSync(join(root, "web", rel, ".."), { recursive: true });
  writeFileSync(join(root, "web", rel), text, { mode });
}

write("Dockerfile", "FROM x");
write("src/a.js", "a");
write("src/lib/b.js", "b");
write("src/run.sh", "#!/bin/sh", 0o755);
write("src/node_modules/dep/i.js", "dep");
write("src/debug.log", "log");
write("public/index.html", "<h1>hi</h1>");
write("package.json", "{}");
symlinkSync("a.js", join(root, "web", "src", "link.js"));

const rules = compileRules(envWith({ sync: [{ from: "src", to: "/app/src" }, { from: "public/index.html", to: "/srv/index.html" }] }, root), "web", ["*.log", "src/*.log"]);

describe("packCopies", () => {
  it("produces a tar that untars (GNU tar) to the container paths, modes and symlinks kept", async () => {
    const archive = await packCopies(rules.contextDir, [
      { from: "src/lib/b.js", to: "/app/src/lib/b.js" },
      { from: "src/run.sh", to: "/app/src/run.sh" },
      { from: "src/link.js", to: "/app/src/link.js" },
      { from: "public/index.html", to: "/srv/index.html" },
      { from: "src/gone.js", to: "/app/src/gone.js" },
    ]);
    expect(archive.written).toEqual(["/app/src/lib/b.js", "/app/src/run.sh", "/app/src/link.js", "/srv/index.html"]);
    expect(archive.vanished).toEqual(["/app/src/gone.js"]);
    const out = mkdtempSync(join(root, "out-"));
    execFileSync("tar", ["xf", "-", "-C", out], { input: archive.tar });
    expect(readFileSync(join(out, "app/src/lib/b.js"), "utf8")).toBe("b");
    expect(readFileSync(join(out, "srv/index.html"), "utf8")).toBe("<h1>hi</h1>");
    expect(statSync(join(out, "app/src/run.sh")).mode & 0o777).toBe(0o755);
    expect(readlinkSync(join(out, "app/src/link.js"))).toBe("a.js");
    expect(existsSync(join(out, "app/src/gone.js"))).toBe(false);
    // Entry names are relative: nothing escapes the extraction directory.
    const names = execFileSync("tar", ["tf", "-"], { input: archive.tar }).toString().trim().split("\n");
    expect(names.every((n) => !n.startsWith("/"))).toBe(true);
  });
});

describe("initialCopies", () => {
  it("lists every covered file, skipping ignores and node_modules", async () => {
    const copies = await initialCopies(rules);
    expect(copies.map((c) => `${c.from} → ${c.to}`)).toEqual([
      "src/a.js → /app/src/a.js",
      "src/lib/b.js → /app/src/lib/b.js",
      "src/link.js → /app/src/link.js",
      "src/run.sh → /app/src/run.sh",
      "public/index.html → /srv/index.html",
    ]);
  });
});

describe("missingSources", () => {
  it("names the rule and the config path of a source that does not exist", () => {
    const r = compileRules(envWith({ sync: [{ from: "src", to: "/app/src" }, { from: "nope", to: "/app/nope" }] }, root), "web", []);
    const missing = missingSources(r);
    expect(missing).toHaveLength(1);
    expect(missing[0]!.error.message).toContain('sync source "nope" does not exist');
    expect(missing[0]!.error.where).toBe("images.web.sync[1].from");
  });
});

// Content tags: what changes the tag (context files, Dockerfile, args, target) and what must
// not (.dockerignore'd files, mtimes), on real files in a temp directory.
import { mkdtempSync, rmSync, utimesSync, writeFileSync, mkdirSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contentTag, readContentInputs, resolveBuildArgs } from "../../../src/images/content-tag.js";
import { listContext } from "../../../src/images/context-files.js";
import { imageSchema } from "../../../src/config/schema.js";

let dir: string;
const image = (extra: Record<string, unknown> = {}) => imageSchema.parse({ image: "acme/api", context: ".", ...extra });
const tagOf = async (extra: Record<string, unknown> = {}, overrides: Record<string, string> = {}) => contentTag(await readContentInputs(dir, image(extra), overrides, "test"));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "devenv-tag-"));
  writeFileSync(join(dir, "Dockerfile"), "FROM scratch\nCOPY . /app\n");
  writeFileSync(join(dir, "app.js"), "console.log(1)\n");
  mkdirSync(join(dir, "logs"));
  writeFileSync(join(dir, "logs", "debug.log"), "noise\n");
  writeFileSync(join(dir, ".dockerignore"), "logs\n*.tmp\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("content tag", () => {
  it("is devenv-<12 hex> and stable for the same inputs", async () => {
    const a = await tagOf();
    expect(a).toMatch(/^devenv-[0-9a-f]{12}$/);
    expect(await tagOf()).toBe(a);
  });

  it("ignores changes to .dockerignore'd files", async () => {
    const before = await tagOf();
    writeFileSync(join(dir, "logs", "debug.log"), "more noise\n");
    writeFileSync(join(dir, "scratch.tmp"), "x");
    expect(await tagOf()).toBe(before);
  });

  it("changes when a non-ignored file changes, is added, or becomes executable", async () => {
    const before = await tagOf();
    writeFileSync(join(dir, "app.js"), "console.log(2)\n");
    const edited = await tagOf();
    expect(edited).not.toBe(before);
    writeFileSync(join(dir, "new.js"), "");
    const added = await tagOf();
    expect(added).not.toBe(edited);
    chmodSync(join(dir, "new.js"), 0o755);
    expect(await tagOf()).not.toBe(added);
  });

  it("does not change when only mtimes change", async () => {
    const before = await tagOf();
    utimesSync(join(dir, "app.js"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(await tagOf()).toBe(before);
  });

  it("changes with the Dockerfile, build args and target", async () => {
    const base = await tagOf();
    expect(await tagOf({ buildArgs: { MODE: "dev" } })).not.toBe(base);
    expect(await tagOf({ buildArgs: { MODE: "dev" } })).not.toBe(await tagOf({ buildArgs: { MODE: "prod" } }));
    expect(await tagOf({ target: "runtime" })).not.toBe(base);
    writeFileSync(join(dir, "Dockerfile"), "FROM scratch\nCOPY . /srv\n");
    expect(await tagOf()).not.toBe(base);
  });

  it("hashes build args after image overrides", async () => {
    const args = { BASE_IMAGE: "node:20" };
    const plain = await tagOf({ buildArgs: args });
    const overridden = await tagOf({ buildArgs: args }, { "node:20": "devenv-local/node:20" });
    expect(overridden).not.toBe(plain);
    expect(overridden).toBe(await tagOf({ buildArgs: { BASE_IMAGE: "devenv-local/node:20" } }));
    expect(resolveBuildArgs({ BASE_IMAGE: "docker.io/library/node:20", X: "node" }, { "node:20": "local/node:20" })).toEqual({ BASE_IMAGE: "local/node:20", X: "node" });
  });
});

describe("listContext", () => {
  it("keeps the Dockerfile and .dockerignore even when ignored, and honours exceptions", async () => {
    writeFileSync(join(dir, ".dockerignore"), "*\n!app.js\n!logs/keep.txt\n");
    writeFileSync(join(dir, "logs", "keep.txt"), "kept");
    const paths = (await listContext(dir)).map((e) => e.path);
    expect(paths).toEqual([".dockerignore", "Dockerfile", "app.js", "logs/keep.txt"]);
  });

  it("skips an ignored directory whole", async () => {
    const paths = (await listContext(dir)).map((e) => e.path);
    expect(paths).not.toContain("logs");
    expect(paths).not.toContain("logs/debug.log");
    expect(paths).toContain("app.js");
  });
});

describe("readContentInputs", () => {
  it("names the missing Dockerfile", async () => {
    await expect(readContentInputs(dir, image({ dockerfile: "nope.Dockerfile" }), {}, "devenv.ts (images.api)")).rejects.toMatchObject({
      message: expect.stringContaining("nope.Dockerfile"),
      where: "devenv.ts (images.api)",
    });
  });
});

describe("file hash cache", () => {
  // (The cached path itself needs a file whose ctime is > 2 s old, which a test cannot fake.)
  it("a same-size rewrite of a file hashed before changes the tag", async () => {
    const before = await tagOf();
    writeFileSync(join(dir, "app.js"), "console.log(9)\n"); // same size, new ctime
    expect(await tagOf()).not.toBe(before);
  });
});

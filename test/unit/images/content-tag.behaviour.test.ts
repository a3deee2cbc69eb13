// When `up` rebuilds an image and when it reuses the last build: every input a build reads
// moves the tag, nothing else does.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { contentTag, readContentInputs, resolveBuildArgs, type ContentInputs } from "../../../src/images/content-tag.js";
import { imageSchema } from "../../../src/config/schema.js";

const entry = (path: string, type: "file" | "dir" | "symlink", extra: object = {}) => ({ path, type, mode: type === "dir" ? 0o755 : 0o644, size: 1, mtimeMs: 1, ctimeMs: 1, ...extra });
const base: ContentInputs = { entries: [entry("app.js", "file", { sha256: "aa" }) as any], dockerfile: "Dockerfile", dockerfileText: "FROM scratch\n", buildArgs: {} };
const tag = (over: Partial<ContentInputs> = {}) => contentTag({ ...base, ...over });

describe("contentTag", () => {
  it("a renamed file with the same bytes is a new build", () => {
    expect(tag({ entries: [entry("main.js", "file", { sha256: "aa" }) as any] })).not.toBe(tag());
  });
  it("an empty directory added to the context is a new build (COPY copies it)", () => {
    expect(tag({ entries: [...base.entries, entry("uploads", "dir") as any] })).not.toBe(tag());
  });
  it("a file turned into a symlink is a new build", () => {
    expect(tag({ entries: [entry("app.js", "symlink", { target: "aa" }) as any] })).not.toBe(tag());
  });
  it("a symlink pointing elsewhere is a new build", () => {
    expect(tag({ entries: [entry("l", "symlink", { target: "a" }) as any] })).not.toBe(tag({ entries: [entry("l", "symlink", { target: "b" }) as any] }));
  });
  it("the same Dockerfile text under another name is a new build", () => {
    expect(tag({ dockerfile: "Dev.Dockerfile" })).not.toBe(tag());
  });
  it("a build arg's name counts, not only its value", () => {
    expect(tag({ buildArgs: { A: "1" } })).not.toBe(tag({ buildArgs: { B: "1" } }));
    expect(tag({ buildArgs: { A: "1" } })).not.toBe(tag());
  });
  it("an added build arg with an empty value is a new build", () => {
    expect(tag({ buildArgs: { A: "" } })).not.toBe(tag());
  });
  it("no target and an empty target are the same build; a target is another", () => {
    expect(tag({ target: "" })).toBe(tag());
    expect(tag({ target: "dev" })).not.toBe(tag({ target: "prod" }));
  });
  it("the same inputs give the same tag from one devenv version to the next (else every image rebuilds after an upgrade)", () => {
    const inputs: ContentInputs = {
      entries: [entry("app.js", "file", { sha256: "aa" }), entry("data", "dir"), entry("link", "symlink", { target: "app.js" })] as any,
      dockerfile: "Dockerfile",
      dockerfileText: "FROM scratch\n",
      buildArgs: { B: "2", A: "1" },
      target: "dev",
    };
    expect(contentTag(inputs)).toBe("devenv-265f1a106fe2");
    expect(contentTag({ entries: [], dockerfile: "Dockerfile", dockerfileText: "", buildArgs: {} })).toBe("devenv-31fa27953098");
  });
  it("the tag is devenv- and 12 hex digits", () => {
    expect(tag()).toMatch(/^devenv-[0-9a-f]{12}$/);
  });
});

describe("resolveBuildArgs", () => {
  it("rewrites only values naming an overridden image, keeps every key", () => {
    expect(resolveBuildArgs({ BASE: "postgres:16", OTHER: "postgres:15", N: "3" }, { "postgres:16": "devenv-local/postgres:16" })).toEqual({ BASE: "devenv-local/postgres:16", OTHER: "postgres:15", N: "3" });
    expect(resolveBuildArgs({}, { a: "b" })).toEqual({});
  });
});

describe("readContentInputs on a real context", () => {
  let dir: string;
  const image = (extra: Record<string, unknown> = {}) => imageSchema.parse({ image: "acme/api", context: ".", ...extra });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "devenv-tagb-"));
    writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n");
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("a large file (streamed) changes the tag when one byte changes", async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 1);
    writeFileSync(join(dir, "model.bin"), big);
    const before = contentTag(await readContentInputs(dir, image(), {}, "t"));
    big[big.length - 1] = 2;
    writeFileSync(join(dir, "model.bin"), big);
    expect(contentTag(await readContentInputs(dir, image(), {}, "t"))).not.toBe(before);
  });
  it("files get their sha256, symlinks and directories do not need one", async () => {
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "a.txt"), "hello");
    symlinkSync("src/a.txt", join(dir, "link"));
    const inputs = await readContentInputs(dir, image({ buildArgs: { X: "node:20" }, target: "dev" }), { "node:20": "local/node:20" }, "t");
    const byPath = Object.fromEntries(inputs.entries.map((e) => [e.path, e]));
    expect(byPath["src/a.txt"]!.sha256).toBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    expect(byPath["link"]!.type).toBe("symlink");
    expect(byPath["link"]!.sha256).toBeUndefined();
    expect(inputs).toMatchObject({ dockerfile: "Dockerfile", dockerfileText: "FROM scratch\n", buildArgs: { X: "local/node:20" }, target: "dev" });
  });
  it("a missing Dockerfile is an error naming its path, where, and the fix", async () => {
    const e = await readContentInputs(dir, image({ dockerfile: "docker/Prod" }), {}, "devenv.ts (images.api)").catch((x) => x);
    expect(e).toMatchObject({ message: `Dockerfile not found: ${join(dir, "docker/Prod")}`, where: "devenv.ts (images.api)", hint: "set `dockerfile` (relative to `context`) to an existing file", exitCode: 1 });
  });
});

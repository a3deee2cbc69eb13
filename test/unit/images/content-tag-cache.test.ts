// The content tag's per-process file hash cache: an unchanged file is not read again, a
// rewritten one is, and a file written moments ago is never trusted from the cache.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { contentTag, readContentInputs } from "../../../src/images/content-tag.js";
import { imageSchema } from "../../../src/config/schema.js";

vi.mock("node:fs", async (importOriginal) => {
  const orig = await importOriginal<typeof import("node:fs")>();
  return { ...orig, createReadStream: vi.fn(orig.createReadStream), readFileSync: vi.fn(orig.readFileSync) };
});

let dir: string;
const image = imageSchema.parse({ image: "acme/api", context: "." });
const tag = async () => contentTag(await readContentInputs(dir, image, {}, "test"));
// A file is read either streamed or in one call (small files): both count.
const readsOf = (file: string) => [...vi.mocked(fs.createReadStream).mock.calls, ...vi.mocked(fs.readFileSync).mock.calls].filter(([p]) => p === join(dir, file)).length;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "devenv-tagcache-"));
  writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n");
  writeFileSync(join(dir, "app.js"), "console.log(1)\n");
  vi.mocked(fs.createReadStream).mockClear();
  vi.mocked(fs.readFileSync).mockClear();
});
afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe("file hash cache", () => {
  it("a file unchanged since it was hashed (and older than 2 s) is not read again", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 10_000 });
    const first = await tag();
    expect(readsOf("app.js")).toBe(1);
    expect(await tag()).toBe(first);
    expect(readsOf("app.js")).toBe(1);
  });
  it("a same-size rewrite of a cached file is read again and changes the tag", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 10_000 });
    const first = await tag();
    await new Promise((r) => setTimeout(r, 20)); // a later ctime
    writeFileSync(join(dir, "app.js"), "console.log(9)\n");
    expect(await tag()).not.toBe(first);
    expect(readsOf("app.js")).toBe(2);
  });
  it("a file written in the last 2 s is not cached (coarse timestamps)", async () => {
    await tag();
    await tag();
    expect(readsOf("app.js")).toBe(2);
  });
});

describe("build args", () => {
  it("the order build args are written in does not change the tag", () => {
    const inputs = { entries: [], dockerfile: "Dockerfile", dockerfileText: "FROM scratch\n" };
    expect(contentTag({ ...inputs, buildArgs: { A: "1", B: "2" } })).toBe(contentTag({ ...inputs, buildArgs: { B: "2", A: "1" } }));
    expect(contentTag({ ...inputs, buildArgs: { A: "1", B: "2" } })).not.toBe(contentTag({ ...inputs, buildArgs: { A: "2", B: "1" } }));
  });
  it("a symlink's target and a file's mode are part of the tag, its mtime is not", () => {
    const base = { dockerfile: "Dockerfile", dockerfileText: "FROM scratch\n", buildArgs: {} };
    const link = (target: string) => ({ ...base, entries: [{ path: "l", type: "symlink" as const, mode: 0o777, size: 0, mtimeMs: 1, ctimeMs: 1, target }] });
    expect(contentTag(link("a") as any)).not.toBe(contentTag(link("b") as any));
    const file = (mode: number, mtimeMs: number) => ({ ...base, entries: [{ path: "f", type: "file" as const, mode, size: 1, mtimeMs, ctimeMs: mtimeMs, sha256: "ab" }] });
    expect(contentTag(file(0o644, 1) as any)).toBe(contentTag(file(0o644, 99) as any));
    expect(contentTag(file(0o644, 1) as any)).not.toBe(contentTag(file(0o755, 1) as any));
  });
});

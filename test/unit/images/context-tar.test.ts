// The build context tar: exactly the listed entries, with modes and symlinks kept.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, symlinkSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { extract } from "tar-stream";
import { listContext } from "../../../src/images/context-files.js";
import { contextTar } from "../../../src/images/context-tar.js";

const dir = mkdtempSync(join(tmpdir(), "devenv-tar-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("packs the listed entries with their modes, contents and symlink targets", async () => {
  writeFileSync(join(dir, "Dockerfile"), "FROM scratch\n");
  writeFileSync(join(dir, ".dockerignore"), "secret.env\n");
  writeFileSync(join(dir, "secret.env"), "TOKEN=x\n");
  mkdirSync(join(dir, "bin"));
  writeFileSync(join(dir, "bin", "run.sh"), "#!/bin/sh\necho hi\n");
  chmodSync(join(dir, "bin", "run.sh"), 0o755);
  symlinkSync("bin/run.sh", join(dir, "run"));

  const seen: { name: string; type: string; mode?: number; body: string; linkname?: string | null }[] = [];
  const ex = extract();
  ex.on("entry", (h, stream, next) => {
    let body = "";
    stream.on("data", (b: unknown) => {
      body += String(b);
    });
    stream.on("end", () => {
      seen.push({ name: h.name, type: h.type ?? "file", mode: h.mode, body, linkname: h.linkname });
      next();
    });
  });
  const done = new Promise<void>((r) => ex.on("finish", () => r()));
  contextTar(dir, await listContext(dir)).pipe(ex as unknown as NodeJS.WritableStream);
  await done;

  expect(seen.map((e) => e.name)).toEqual([".dockerignore", "Dockerfile", "bin", "bin/run.sh", "run"]);
  expect(seen.find((e) => e.name === "bin/run.sh")).toMatchObject({ type: "file", mode: 0o755, body: "#!/bin/sh\necho hi\n" });
  expect(seen.find((e) => e.name === "run")).toMatchObject({ type: "symlink", linkname: "bin/run.sh" });
});

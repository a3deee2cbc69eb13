// What `devenv seed` (and --dry-run) tells a user about files it applied before.
import { describe, expect, it } from "vitest";
import { checksumOf, type SeedFile } from "../../../src/seed/files.js";
import { formatPlan, planSeedFiles, refusalError } from "../../../src/seed/plan.js";

const file = (name: string, content: string): SeedFile => ({ name, path: `/x/${name}`, content, checksum: checksumOf(content) });
const a = file("seed/001.sql", "create table a();");
const b = file("seed/002.sql", "insert into a default values;");
const c = file("seed/003.sql", "select 1;");

describe("refusing changed files", () => {
  it("one changed file: said in the singular, and `where` points at it; exit code 1", () => {
    const e = refusalError("postgres.app", planSeedFiles([a, b], new Map([[a.name, a.checksum], [b.name, "old"]])))!;
    expect(e.message).toBe("postgres.app: a seed file was changed after being applied: seed/002.sql");
    expect(e.where).toBe("seed/002.sql");
    expect(e.exitCode).toBe(1);
    expect(e.hint).toBe("seeds run exactly once; re-run the changed files with `devenv seed --force`, or start from empty databases with `devenv reset --data`");
  });
  it("several: counted, every one named in order, `where` at the first", () => {
    const e = refusalError("postgres.app", planSeedFiles([a, b, c], new Map([[a.name, "x"], [b.name, b.checksum], [c.name, "y"]])))!;
    expect(e.message).toBe("postgres.app: 2 seed files were changed after being applied: seed/001.sql, seed/003.sql");
    expect(e.where).toBe("seed/001.sql");
  });
  it("with --force nothing is refused", () => {
    expect(refusalError("postgres.app", planSeedFiles([a], new Map([[a.name, "x"]]), true))).toBeUndefined();
  });
  it("a file applied before and unchanged, next to a new one, refuses nothing", () => {
    expect(refusalError("postgres.app", planSeedFiles([a, b], new Map([[a.name, a.checksum]])))).toBeUndefined();
  });
});

describe("--dry-run lines", () => {
  it("say refuse and re-apply in words, one line per file in order", () => {
    const history = new Map([[a.name, "x"], [b.name, b.checksum]]);
    expect(formatPlan("postgres.app", planSeedFiles([a, b, c], history))).toEqual([
      "postgres.app: REFUSE (changed after being applied) seed/001.sql",
      "postgres.app: skip (unchanged) seed/002.sql",
      "postgres.app: apply seed/003.sql",
    ]);
    expect(formatPlan("postgres.app", planSeedFiles([a], history, true))).toEqual(["postgres.app: re-apply (changed, --force) seed/001.sql"]);
  });
  it("the plan keeps each file it was given", () => {
    expect(planSeedFiles([b, a], new Map()).map((p) => p.file)).toEqual([b, a]);
  });
});

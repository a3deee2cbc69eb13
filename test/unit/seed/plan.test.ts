import { describe, expect, it } from "vitest";
import { checksumOf, type SeedFile } from "../../../src/seed/files.js";
import { formatPlan, planSeedFiles, refusalError } from "../../../src/seed/plan.js";

const file = (name: string, content: string): SeedFile => ({ name, path: `/x/${name}`, content, checksum: checksumOf(content) });

describe("planSeedFiles", () => {
  const a = file("seed/001.sql", "create table a();");
  const b = file("seed/002.sql", "insert into a default values;");

  it("applies everything on an empty history", () => {
    expect(planSeedFiles([a, b], new Map()).map((p) => p.action)).toEqual(["apply", "apply"]);
  });

  it("skips unchanged files and applies new ones", () => {
    expect(planSeedFiles([a, b], new Map([[a.name, a.checksum]])).map((p) => p.action)).toEqual(["skip", "apply"]);
  });

  it("refuses a changed, already-applied file unless forced", () => {
    const history = new Map([[a.name, checksumOf("old")], [b.name, b.checksum]]);
    expect(planSeedFiles([a, b], history).map((p) => p.action)).toEqual(["refuse", "skip"]);
    expect(planSeedFiles([a, b], history, true).map((p) => p.action)).toEqual(["reapply", "skip"]);
  });

  it("names every changed file and both fixes in the refusal", () => {
    const history = new Map([[a.name, "x"], [b.name, "y"]]);
    const err = refusalError("postgres.app", planSeedFiles([a, b], history))!;
    expect(err.message).toContain("seed/001.sql, seed/002.sql");
    expect(err.hint).toContain("devenv seed --force");
    expect(err.hint).toContain("devenv reset --data");
    expect(refusalError("postgres.app", planSeedFiles([a], new Map()))).toBeUndefined();
  });

  it("formats one line per file for --dry-run", () => {
    expect(formatPlan("redis.cache", planSeedFiles([a, b], new Map([[a.name, a.checksum]])))).toEqual(["redis.cache: skip (unchanged) seed/001.sql", "redis.cache: apply seed/002.sql"]);
  });
});

// When the compose migration may be left out of a seed run: only with every fact the same as at
// its last successful run; anything unknown or different runs it.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LoadedEnv } from "../../../src/config/load.js";
import { envSchema } from "../../../src/config/schema.js";
import { migrationKey, readMigrationStamps, writeMigrationStamp, type MigrationFacts } from "../../../src/seed/migrate-stamp.js";

const facts: MigrationFacts = {
  migrator: { id: "m1", startedAt: "2026-01-01T00:00:00Z", running: false, exitCode: 0, image: "sha256:aaa", configHash: "c1" },
  server: { id: "p1", startedAt: "2026-01-01T00:00:00Z" },
  databaseOid: "16384",
};
const key = migrationKey(facts)!;

describe("migrationKey", () => {
  it("is the same for the same facts", () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(migrationKey(structuredClone(facts))).toBe(key);
  });

  it("changes when the database is dropped and recreated (reset --data), the server restarts or is recreated, the migration container is recreated, rerun or rebuilt", () => {
    const changed: MigrationFacts[] = [
      { ...facts, databaseOid: "16385" },
      { ...facts, server: { ...facts.server!, startedAt: "2026-01-01T01:00:00Z" } },
      { ...facts, server: { ...facts.server!, id: "p2" } },
      { ...facts, migrator: { ...facts.migrator!, id: "m2" } },
      { ...facts, migrator: { ...facts.migrator!, startedAt: "2026-01-01T02:00:00Z" } },
      { ...facts, migrator: { ...facts.migrator!, image: "sha256:bbb" } },
      { ...facts, migrator: { ...facts.migrator!, configHash: "c2" } },
    ];
    for (const f of changed) expect(migrationKey(f)).not.toBe(key);
  });

  it("proves nothing without a finished, successful migration container, a server or a database", () => {
    expect(migrationKey({ ...facts, migrator: undefined })).toBeUndefined();
    expect(migrationKey({ ...facts, migrator: { ...facts.migrator!, running: true } })).toBeUndefined();
    expect(migrationKey({ ...facts, migrator: { ...facts.migrator!, exitCode: 1 } })).toBeUndefined();
    expect(migrationKey({ ...facts, migrator: { ...facts.migrator!, configHash: undefined } })).toBeUndefined();
    expect(migrationKey({ ...facts, server: undefined })).toBeUndefined();
    expect(migrationKey({ ...facts, databaseOid: undefined })).toBeUndefined();
  });
});

describe("the stamps file", () => {
  let root: string;
  let env: LoadedEnv;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "devenv-migstamp-"));
    env = { config: envSchema.parse({ name: "shop" }), root, file: join(root, "devenv.ts"), namespace: "shop" } as unknown as LoadedEnv;
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("keeps one key per seed, 0600 under .devenv/, and forgets one on request", () => {
    expect(readMigrationStamps(env)).toEqual({});
    writeMigrationStamp(env, "postgres.app", "k1");
    writeMigrationStamp(env, "postgres.audit", "k2");
    expect(statSync(join(root, ".devenv", "migrations.shop.json")).mode & 0o777).toBe(0o600);
    writeMigrationStamp(env, "postgres.app", undefined);
    expect(readMigrationStamps(env)).toEqual({ "postgres.audit": "k2" });
  });
});

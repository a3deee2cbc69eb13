import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { envSchema } from "../../../src/config/schema.js";
import type { UpContext } from "../../../src/up/context.js";
import { describeSeeds } from "../../../src/seed/describe.js";
import { seedStep } from "../../../src/up/steps/seed.js";

// The plan lists the seed files (a missing one fails `up --dry-run` too): they exist here.
const root = mkdtempSync(join(tmpdir(), "devenv-seed-step-"));
mkdirSync(join(root, "seed", "sql"), { recursive: true });
writeFileSync(join(root, "seed", "sql", "001.sql"), "select 1;\n");
writeFileSync(join(root, "seed", "keys.yaml"), "{}\n");
afterAll(() => rmSync(root, { recursive: true, force: true }));
const env = (seeds: unknown) => {
  const config = envSchema.parse({ name: "shop", seeds });
  return { config, file: join(root, "devenv.ts"), root, namespace: "shop" };
};
const seeds = {
  postgres: { app: { target: { compose: "db", service: "postgres" }, database: "app", sql: "seed/sql", migrate: { compose: "migrate", job: "migrate" } } },
  redis: { cache: { target: { compose: "redis", service: "redis" }, db: 2, fixtures: ["seed/keys.yaml"] } },
};

describe("seed step", () => {
  it("keeps its id and plans per target without connecting", async () => {
    const step = seedStep;
    expect(step.id).toBe("seed");
    const ctx = { env: env(seeds), target: "cluster" } as unknown as UpContext;
    expect(await step.plan(ctx)).toEqual([
      'postgres.app: database "app" on Service shop/postgres from seed/sql/, after Job migrate succeeds (files not yet recorded in devenv_seed_history)',
      "redis.cache: db 2 on Service shop/redis from seed/keys.yaml (files not yet recorded in devenv:seed:history)",
    ]);
    expect(describeSeeds(env(seeds), "compose")[0]).toContain("on compose service db from seed/sql/, after `compose run --rm migrate`");
  });

  it("skips itself when no seeds are declared", async () => {
    const ctx = { env: env({}), target: "compose" } as unknown as UpContext;
    expect(await seedStep.check!(ctx)).toBe("no seeds declared");
    expect(await seedStep.plan(ctx)).toEqual(["no seeds declared"]);
  });
});

import { defineConfig } from "vitest/config";

// Two projects: `unit` (pure, fast, no daemons) and `integration` (real Docker engine,
// real Postgres/Redis, real kubectl against the test API server).
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], testTimeout: 20_000 } },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});

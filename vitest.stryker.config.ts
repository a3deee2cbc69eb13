import { configDefaults, defineConfig } from "vitest/config";

// Stryker's view of the tests (`npm run mutate`): the unit tests only, one flat project, and a
// short per-test timeout so a mutant that loops forever is cut off quickly. Stryker needs a
// green initial run: MUTATE_EXCLUDE=test/unit/a.test.ts,... leaves out tests broken by work
// in progress.
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...(process.env.MUTATE_EXCLUDE?.split(",").filter(Boolean) ?? [])],
    testTimeout: 5_000,
    hookTimeout: 10_000,
  },
});

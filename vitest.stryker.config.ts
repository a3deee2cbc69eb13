import { configDefaults, defineConfig } from "vitest/config";

// Stryker's view of the tests (`npm run mutate`): the unit tests only, one flat project, and a
// short per-test timeout so a mutant that loops forever is cut off quickly. Stryker needs a
// green initial run: MUTATE_EXCLUDE=test/unit/a.test.ts,... leaves out tests broken by work
// in progress. MUTATE_INCLUDE=test/unit/kube/**/*.test.ts,... runs only those tests (a run over
// one group of modules with the tests of their own areas: much faster on a small machine).
// MUTATE_TEST_TIMEOUT_MS raises the per-test limit on a loaded machine, where tests that start
// child processes (test/unit/config/load-outside.test.ts) can pass 5 s and fail the first run.
export default defineConfig({
  test: {
    include: process.env.MUTATE_INCLUDE?.split(",").filter(Boolean) ?? ["test/unit/**/*.test.ts"],
    exclude: [...configDefaults.exclude, ...(process.env.MUTATE_EXCLUDE?.split(",").filter(Boolean) ?? [])],
    testTimeout: Number(process.env.MUTATE_TEST_TIMEOUT_MS ?? 5_000),
    hookTimeout: 10_000,
  },
});

// CONTRACT (issue #5 fills it): seeding as a library, used by `up`, `devenv seed` and `reset --data`.
import type { LoadedEnv } from "../config/load.js";
import type { Target } from "../steps/context.js";
import { DevenvError } from "../errors/devenv-error.js";

export interface SeedOptions {
  target: Target;
  /** Re-apply files whose checksum changed. */
  force?: boolean;
  /** Kube context (cluster target). */
  context?: string;
  log?: (line: string) => void;
}

export interface SeedReport {
  applied: string[];
  skipped: string[];
}

export async function runSeeds(_env: LoadedEnv, _opts: SeedOptions): Promise<SeedReport> {
  throw new DevenvError("seeding: not implemented yet", { hint: "tracked in issue #5" });
}

/** Drops and recreates the seeded databases, flushes Redis, then seeds again. */
export async function resetData(_env: LoadedEnv, _opts: SeedOptions): Promise<SeedReport> {
  throw new DevenvError("reset --data: not implemented yet", { hint: "tracked in issue #5" });
}

// A doctor check: ok / warn / fail with a one-line detail and a fix hint.
import type { ProviderTraits } from "../cluster/traits.js";

export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  hint?: string;
}

export interface Check {
  id: string;
  title: string;
  run(): Promise<Omit<CheckResult, "id" | "title">>;
}

/** What the checks need to know of the environment. */
export interface DoctorOptions {
  /** What the configured cluster is like: its CLI, who publishes its ports, what breaks on it. */
  traits: ProviderTraits;
  /** Cluster name (kind/k3d), to recognise this environment's own cluster holding the ports. */
  name?: string;
  ports: { http: number; https: number };
}

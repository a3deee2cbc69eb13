// A doctor check: ok / warn / fail with a one-line detail and a fix hint.
import type { ProviderTraits } from "../cluster/traits.js";
import type { LoadedEnv } from "../config/load.js";
import type { PublishedPort } from "./compose-port-checks.js";

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
  /** The verdict, or undefined when the check does not apply on this machine (it is then not shown). */
  run(): Promise<Omit<CheckResult, "id" | "title"> | undefined>;
}

/** What the checks need to know of the environment. */
export interface DoctorOptions {
  /** What the configured cluster is like: its CLI, who publishes its ports, what breaks on it. */
  traits: ProviderTraits;
  /** Cluster name (kind/k3d), to recognise this environment's own cluster holding the ports. */
  name?: string;
  ports: { http: number; https: number };
  /** devenv.ts, when it loads: the addon checks (versions against the pinned Kubernetes, ingress-nginx's retirement) read it. */
  env?: Pick<LoadedEnv, "config">;
  /** The host ports devenv.ts's compose setup publishes, when it has one and it loads. */
  compose?: { project: string; ports: PublishedPort[] };
  /** The images the stack pulls (base images, compose's third-party images), after imageOverrides. */
  pulls?: string[];
}

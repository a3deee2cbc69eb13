// Migrations that must run before the SQL seeds. Compose: a one-off `run --rm <service>` of the
// migration service, through the compose runner (src/compose/run.ts). Cluster: the Job is applied by the apply waves (src/kube); seeding only
// waits until it has succeeded, and fails clearly when it failed or never appears.
import type { KubeConfig } from "@kubernetes/client-node";
import type { LoadedEnv } from "../config/load.js";
import { DevenvError } from "../errors/devenv-error.js";
import { messageOf, withBackoff } from "./backoff.js";

/** Runs the compose migration service to completion (through the compose runner). */
export async function runComposeMigration(env: LoadedEnv, service: string): Promise<void> {
  const { composeRun } = await import("../compose/run.js");
  await composeRun(env, service);
}

/** Waits for a migration Job to succeed; fails at once when it failed. */
export async function waitForMigrationJob(kc: KubeConfig, namespace: string, job: string, path: string, timeoutMs = 300_000): Promise<void> {
  const { BatchV1Api } = await import("@kubernetes/client-node");
  const api = kc.makeApiClient(BatchV1Api);
  await withBackoff(
    async () => {
      const j = await api.readNamespacedJob({ name: job, namespace }).catch((e: unknown) => {
        // Not applied yet is worth waiting for; anything else (auth, TLS, no server) is not.
        if ((e as { code?: number }).code === 404) throw Object.assign(new Error(`Job ${namespace}/${job} does not exist yet`), { retry: true });
        throw new DevenvError(`cannot read migration Job ${namespace}/${job}: ${messageOf(e)}`, { where: path, hint: "check the cluster connection with `kubectl get jobs -n " + namespace + "`", cause: e });
      });
      const failed = j.status?.conditions?.find((c) => c.type === "Failed" && c.status === "True");
      if (failed) {
        throw new DevenvError(`migration Job ${namespace}/${job} failed: ${failed.message ?? failed.reason ?? "no reason given"}`, { where: path, hint: `see its logs: kubectl -n ${namespace} logs job/${job}` });
      }
      if (!j.status?.succeeded) throw Object.assign(new Error(`Job ${namespace}/${job} has not succeeded yet`), { retry: true });
    },
    {
      timeoutMs,
      initialDelayMs: 500,
      retryable: (e) => (e as { retry?: boolean }).retry === true,
      giveUp: (last) =>
        new DevenvError(`migration Job ${namespace}/${job} did not succeed within ${timeoutMs / 1000} s: ${messageOf(last)}`, {
          where: path,
          hint: `the Job must be applied before seeding (put it in the data wave with an \`order\` hint); check \`kubectl -n ${namespace} describe job/${job}\``,
        }),
    },
  );
}

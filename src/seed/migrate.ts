// Migrations that must run before the SQL seeds. Compose: a one-off `run --rm <service>` of the
// migration service, through the compose runner (src/compose/run.ts). Cluster: the Job is applied by the apply waves (src/kube); seeding only
// waits until it has succeeded, and fails clearly when it failed or never appears.
import type { LoadedEnv } from "../config/load.js";
import type { KubeRest } from "../kube/rest.js";
import { DevenvError } from "../errors/devenv-error.js";
import { done, failed, notYet, waitFor } from "../wait/wait.js";
import { messageOf } from "./transient.js";

/** Runs the compose migration service to completion (through the compose runner). */
export async function runComposeMigration(env: LoadedEnv, service: string): Promise<void> {
  const { composeRun } = await import("../compose/run.js");
  await composeRun(env, service);
}

type JobStatus = { status?: { succeeded?: number; conditions?: { type: string; status: string; reason?: string; message?: string }[] } };

/** Waits for a migration Job to succeed; fails at once when it failed. */
export async function waitForMigrationJob(rest: KubeRest, namespace: string, job: string, path: string, timeoutMs = 300_000): Promise<void> {
  await waitFor(
    `migration Job ${namespace}/${job} to succeed`,
    async () => {
      const j = await rest.find<JobStatus>(`/apis/batch/v1/namespaces/${namespace}/jobs/${job}`).catch((e: unknown) => {
        // Anything but "not applied yet" (auth, TLS, no server) is not worth waiting for.
        throw new DevenvError(`cannot read migration Job ${namespace}/${job}: ${messageOf(e)}`, { where: path, hint: "check the cluster connection with `kubectl get jobs -n " + namespace + "`", cause: e });
      });
      if (!j) return notYet("it does not exist yet");
      const fail = j.status?.conditions?.find((c) => c.type === "Failed" && c.status === "True");
      if (fail) {
        const reason = fail.message ?? fail.reason ?? "no reason given";
        return failed(reason, new DevenvError(`migration Job ${namespace}/${job} failed: ${reason}`, { where: path, hint: `see its logs: kubectl -n ${namespace} logs job/${job}` }));
      }
      return j.status?.succeeded ? done() : notYet("it has not succeeded yet");
    },
    {
      timeoutMs,
      intervalMs: 500,
      maxIntervalMs: 2000,
      where: path,
      hint: `the Job must be applied before seeding (put it in the data wave with an \`order\` hint); check \`kubectl -n ${namespace} describe job/${job}\``,
    },
  );
}

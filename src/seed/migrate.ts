// Migrations that must run before the SQL seeds. Compose: a one-off `run --rm <service>` of the
// migration service. Cluster: the Job is applied by the apply waves (src/kube); seeding only
// waits until it has succeeded, and fails clearly when it failed or never appears.
import type { KubeConfig } from "@kubernetes/client-node";
import type { LoadedEnv } from "../config/load.js";
import { DevenvError } from "../errors/devenv-error.js";
import { run, which } from "../exec/runner.js";
import { messageOf, withBackoff } from "./backoff.js";
import { composeProjectName } from "./endpoint.js";

/** The argv of `compose run --rm <service>` for this environment; pure apart from which compose exists. */
export function composeRunArgs(env: LoadedEnv, service: string): string[] {
  const c = env.config.compose;
  const files = (c?.files ?? []).flatMap((f) => ["-f", f]);
  const profiles = (c?.profiles ?? []).flatMap((p) => ["--profile", p]);
  const envFile = c?.envFile ? ["--env-file", c.envFile] : [];
  return ["-p", composeProjectName(env), ...files, ...envFile, ...profiles, "run", "--rm", "-T", service];
}

/** Runs the compose migration service to completion. */
export async function runComposeMigration(env: LoadedEnv, service: string, path: string): Promise<void> {
  const v1 = await which("docker-compose");
  const [cmd, pre] = v1 ? [v1, []] : ["docker", ["compose"]];
  await run(cmd, [...pre, ...composeRunArgs(env, service)], {
    cwd: env.root,
    failHint: `the migration service "${service}" (${path}) failed; fix it and run \`devenv seed --target compose\` again`,
    installHint: "install Docker Compose (docker-compose v1 or the `docker compose` plugin)",
  });
}

/** Waits for a migration Job to succeed; fails at once when it failed. */
export async function waitForMigrationJob(kc: KubeConfig, namespace: string, job: string, path: string, timeoutMs = 300_000): Promise<void> {
  const { BatchV1Api } = await import("@kubernetes/client-node");
  const api = kc.makeApiClient(BatchV1Api);
  await withBackoff(
    async () => {
      const j = await api.readNamespacedJob({ name: job, namespace }).catch((e: unknown) => {
        throw Object.assign(new Error(`Job ${namespace}/${job} not found yet (${messageOf(e)})`), { retry: true });
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

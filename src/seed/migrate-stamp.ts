// Whether the compose migration (`compose run --rm <service>` before the SQL seeds) can be left
// out: it is, only when everything it reads is provably the same as when devenv last ran it.
// What it reads: its own container as `compose up` made it (id, start, exit 0, image ID, the
// config hash compose keeps in a label: recreated on any change of image, command or env), the
// Postgres container (id, start: a new volume means a new container start), and the seeded
// database itself (its oid: `reset --data` drops and recreates it, which gives a new oid). The
// facts are read from the engine (the docker funnel) and one query; the key of the last run is
// kept in .devenv/migrations.<project>.json (0600).
import { createHash } from "node:crypto";
import type { LoadedEnv } from "../config/load.js";
import { requireDocker } from "../docker/client.js";
import { readStateJsonSync, writeStateFileSync } from "../files/state-dir.js";
import { composeProjectName } from "../compose/project-name.js";

export interface MigrationFacts {
  /** The migration service's container made by `compose up` (not a one-off run), if there is one. */
  migrator?: { id: string; startedAt: string; running: boolean; exitCode: number; image: string; configHash?: string };
  /** The Postgres service's running container. */
  server?: { id: string; startedAt: string };
  /** The seeded database's oid; undefined when it does not exist. */
  databaseOid?: string;
}

/** The identity of what the migration ran against, or undefined when the facts prove nothing
 *  (no finished migration container, no server, no database, no compose config hash). Pure. */
export function migrationKey(f: MigrationFacts): string | undefined {
  const m = f.migrator;
  if (!m || m.running || m.exitCode !== 0 || !m.configHash || !f.server || !f.databaseOid) return undefined;
  const parts = [m.id, m.startedAt, m.image, m.configHash, f.server.id, f.server.startedAt, f.databaseOid];
  return createHash("sha256").update(JSON.stringify(parts)).digest("hex");
}

const file = (env: LoadedEnv) => `migrations.${composeProjectName(env)}.json`;

/** The keys of the last successful runs, by seed (`postgres.app`). */
export function readMigrationStamps(env: LoadedEnv): Record<string, string> {
  const parsed = readStateJsonSync(env.root, file(env));
  return parsed && typeof parsed === "object" ? (parsed as Record<string, string>) : {};
}

/** Records (or, with no key, forgets) the key of a seed's last successful migration. */
export function writeMigrationStamp(env: LoadedEnv, seed: string, key: string | undefined): void {
  const stamps = readMigrationStamps(env);
  if (key) stamps[seed] = key;
  else delete stamps[seed];
  writeStateFileSync(env.root, file(env), `${JSON.stringify(stamps, null, 2)}\n`);
}

/** The containers' part of the facts, from the engine: two list calls and two inspects. */
export async function containerFacts(env: LoadedEnv, migrateService: string, serverService: string): Promise<Pick<MigrationFacts, "migrator" | "server">> {
  const d = await requireDocker();
  const project = `com.docker.compose.project=${composeProjectName(env)}`;
  const of = (service: string, running: boolean) =>
    d.containers.list({ all: !running, filters: { label: [project, `com.docker.compose.service=${service}`, "com.docker.compose.oneoff=False"], ...(running ? { status: ["running"] } : {}) } });
  const [migrators, servers] = await Promise.all([of(migrateService, false), of(serverService, true)]);
  // Several containers (scaled, or a leftover): nothing to prove.
  if (migrators.length !== 1 || servers.length !== 1) return {};
  const [m, s] = await Promise.all([d.containers.inspect(migrators[0]!.Id), d.containers.inspect(servers[0]!.Id)]);
  return {
    migrator: { id: m.Id, startedAt: m.State.StartedAt, running: m.State.Running, exitCode: m.State.ExitCode, image: m.Image, configHash: m.Config.Labels?.["com.docker.compose.config-hash"] },
    server: { id: s.Id, startedAt: s.State.StartedAt },
  };
}

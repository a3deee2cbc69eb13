// Postgres seeding through pg: connect with backoff, create the database when missing, keep
// the history table, and run each SQL file in ONE transaction together with its history row.
// A failing file leaves nothing behind; the error names file:line and the statement.
import pg from "pg";
import { DevenvError } from "../errors/devenv-error.js";
import { done, notYet, waitFor } from "../wait/wait.js";
import { isTransientNetworkError, messageOf } from "./transient.js";
import type { SeedFile } from "./files.js";
import type { SeedHistory } from "./plan.js";
import { excerpt, lineAt, redactSql, splitStatements, statementAt, withoutSecrets } from "./sql-locate.js";

export interface PgEndpoint {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** What the user calls this server, e.g. `compose service "postgres"`. */
  label: string;
  /** Why the way to the server (a port-forward) failed, when it did: reported instead of retrying. */
  failure?(): Error | undefined;
}

const HISTORY = "devenv_seed_history";
// SQLSTATEs meaning "up but not accepting yet": starting up, shutting down, too many clients.
const NOT_READY = new Set(["57P03", "57P01", "53300"]);

/** Connects to `database` (default: the endpoint's), retrying while the server is not up yet. */
export async function connectPg(ep: PgEndpoint, timeoutMs: number, database = ep.database): Promise<pg.Client> {
  return waitFor(
    `Postgres (${ep.label}) at ${ep.host}:${ep.port} to accept connections`,
    async () => {
      const client = new pg.Client({ host: ep.host, port: ep.port, user: ep.user, password: ep.password, database, connectionTimeoutMillis: 5000 });
      client.on("error", () => undefined); // a dropped connection surfaces on the next query
      try {
        await client.connect();
        return done(client);
      } catch (e) {
        await client.end().catch(() => undefined);
        const forward = ep.failure?.();
        if (forward) throw forward;
        const err = pgConnectError(e, ep, database);
        if (err.retry) return notYet(messageOf(e));
        throw err;
      }
    },
    { timeoutMs, intervalMs: 100, maxIntervalMs: 2000, where: ep.label, hint: "check that the server is running (`devenv status`, `docker ps`), then run `devenv seed` again" },
  );
}

function pgConnectError(e: unknown, ep: PgEndpoint, database: string): DevenvError & { retry?: boolean } {
  const code = (e as { code?: string }).code ?? "";
  if (code === "28P01" || code === "28000") {
    return new DevenvError(`Postgres (${ep.label}) rejected user "${ep.user}": wrong password or user`, {
      where: ep.label,
      hint: "check the seed's user and password source in devenv.ts against the server's POSTGRES_USER / POSTGRES_PASSWORD",
      cause: e,
    });
  }
  if (code === "3D000") return new DevenvError(`database "${database}" does not exist on ${ep.label}`, { where: ep.label, hint: "`devenv seed` creates it; check the seed's database name", cause: e });
  const err = new DevenvError(`cannot connect to Postgres (${ep.label}): ${messageOf(e)}`, { where: ep.label, cause: e });
  return Object.assign(err, { retry: isTransientNetworkError(e) || NOT_READY.has(code) || /timeout|terminated/i.test(messageOf(e)) });
}

/** Double-quotes an identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The database used for CREATE/DROP DATABASE (cannot be the one being dropped). */
function maintenanceDb(database: string): string {
  return database === "postgres" ? "template1" : "postgres";
}

/** Creates the endpoint's database when it does not exist. Returns whether it created it. */
export async function ensureDatabase(ep: PgEndpoint, timeoutMs: number): Promise<boolean> {
  const admin = await connectPg(ep, timeoutMs, maintenanceDb(ep.database));
  try {
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [ep.database]);
    if (found.rowCount) return false;
    await admin.query(`CREATE DATABASE ${quoteIdent(ep.database)}`);
    return true;
  } finally {
    await admin.end();
  }
}

/** The endpoint's database oid (a dropped and recreated database has a new one); undefined when it does not exist. */
export async function databaseOid(ep: PgEndpoint, timeoutMs: number): Promise<string | undefined> {
  const admin = await connectPg(ep, timeoutMs, maintenanceDb(ep.database));
  try {
    const found = await admin.query<{ oid: string }>("SELECT oid::text AS oid FROM pg_database WHERE datname = $1", [ep.database]);
    return found.rows[0]?.oid;
  } finally {
    await admin.end();
  }
}

/** Drops (disconnecting its sessions) and recreates the endpoint's database. */
export async function recreateDatabase(ep: PgEndpoint, timeoutMs: number): Promise<void> {
  const admin = await connectPg(ep, timeoutMs, maintenanceDb(ep.database));
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(ep.database)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdent(ep.database)}`);
  } finally {
    await admin.end();
  }
}

/** The recorded history (empty when the table does not exist yet). */
export async function readPgHistory(client: pg.Client): Promise<SeedHistory> {
  const exists = await client.query<{ t: string | null }>("SELECT to_regclass($1) AS t", [`public.${HISTORY}`]);
  if (!exists.rows[0]?.t) return new Map();
  const rows = await client.query<{ file: string; checksum: string }>(`SELECT file, checksum FROM public.${HISTORY}`);
  return new Map(rows.rows.map((r) => [r.file, r.checksum]));
}

/** Creates the history table if needed. */
export async function ensureHistoryTable(client: pg.Client): Promise<void> {
  await client.query(`CREATE TABLE IF NOT EXISTS public.${HISTORY} (file text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
}

/** Runs one SQL file and records it, in one transaction; on failure rolls back and explains. */
export async function applySqlFile(client: pg.Client, file: SeedFile): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query(file.content);
    await client.query(
      `INSERT INTO public.${HISTORY} (file, checksum) VALUES ($1, $2) ON CONFLICT (file) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()`,
      [file.name, file.checksum],
    );
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw await sqlFileError(client, file, e);
  }
}

/** Names file:line and the statement: from the server's `position`, else by replaying statement by statement. */
async function sqlFileError(client: pg.Client, file: SeedFile, e: unknown): Promise<DevenvError> {
  const err = e as pg.DatabaseError;
  const statements = splitStatements(file.content);
  let offset = err.position ? Number(err.position) - 1 : undefined;
  let stmt = offset === undefined ? undefined : statementAt(statements, offset);
  if (offset === undefined) {
    stmt = await replayToFailure(client, statements);
    offset = stmt?.start;
  }
  const pos = offset === undefined ? undefined : lineAt(file.content, offset);
  const where = pos ? `${file.name}:${pos.line}:${pos.col}` : file.name;
  // A failing `CREATE ROLE ... PASSWORD '...'` is printed with the password masked, in the statement and in the server's message.
  const shown = stmt ? redactSql(stmt.text) : undefined;
  const secrets = shown?.secrets ?? [];
  return new DevenvError(`${file.name}: ${withoutSecrets(err.message ?? messageOf(e), secrets)}`, {
    where,
    details: [shown ? `statement: ${excerpt(shown.text)}` : undefined, err.where ? `context: ${withoutSecrets(err.where, secrets)}` : undefined].filter(Boolean).join("\n") || undefined,
    hint: "fix the statement; nothing of this file was kept (it runs in one transaction with its history row), so `devenv seed` retries it",
    // The server's own error (printed by --verbose) may quote the password: kept only when the statement has none.
    ...(secrets.length ? {} : { cause: e }),
  });
}

/** Runs the statements one by one in a rolled-back transaction; returns the first that fails. */
async function replayToFailure(client: pg.Client, statements: ReturnType<typeof splitStatements>) {
  await client.query("BEGIN");
  try {
    for (const s of statements) {
      try {
        await client.query(s.text);
      } catch {
        return s;
      }
    }
    return undefined;
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
  }
}

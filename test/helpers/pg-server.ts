// A throwaway PostgreSQL for tests: initdb into a temp dir (password auth over TCP), started
// from Debian's binaries on a free port, torn down with its data. Root cannot run postgres, so
// under root it runs as the `postgres` user through runuser, in a directory that user owns.
import { chownSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";

const BIN = process.env.DEVENV_PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface PgServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Stops the server and deletes its data directory. */
  stop(): Promise<void>;
}

/** A TCP port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/** Polls `probe` every 100 ms until it resolves true or `timeoutMs` passes. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}

/** Starts PostgreSQL 15 with user `postgres` and the given password on 127.0.0.1. */
export async function startPgServer(password = "pg-test-secret"): Promise<PgServer> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "devenv-pg-"));
  const data = join(dir, "data");
  const pwfile = join(dir, "pw");
  writeFileSync(pwfile, `${password}\n`);
  if (asRoot) {
    const { uid, gid } = await postgresIds();
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  const as = (cmd: string, args: string[]) => (asRoot ? execa("runuser", ["-u", "postgres", "--", cmd, ...args]) : execa(cmd, args));
  await as(join(BIN, "initdb"), ["-D", data, "-U", "postgres", `--pwfile=${pwfile}`, "--auth=scram-sha-256", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const port = await freePort();
  const proc: ResultPromise = as(join(BIN, "postgres"), ["-D", data, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off"]);
  proc.catch(() => undefined); // stopped on teardown; a crash shows up as "did not become ready"
  const ready = () => execa(join(BIN, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port)], { reject: false }).then((r) => r.exitCode === 0);
  await waitFor(`postgres on port ${port}`, ready);
  return {
    host: "127.0.0.1",
    port,
    user: "postgres",
    password,
    stop: async () => {
      await as(join(BIN, "pg_ctl"), ["stop", "-D", data, "-m", "immediate", "-s"]).catch(() => proc.kill("SIGKILL"));
      await proc.catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const id = (flag: string) => execa("id", [flag, "postgres"]).then((r) => Number(r.stdout.trim()));
  try {
    return { uid: await id("-u"), gid: await id("-g") };
  } catch {
    throw new Error(`running as ${userInfo().username} (root) needs a 'postgres' user to run the test server (apt-get install postgresql)`);
  }
}

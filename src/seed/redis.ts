// Redis seeding through ioredis: connect with backoff (clear errors for a wrong password or a
// server that never comes up), keep the history hash, and apply each file's commands in one
// MULTI/EXEC. Unknown commands abort the whole file; errors name the command's file:line.
import { Redis } from "ioredis";
import { DevenvError } from "../errors/devenv-error.js";
import { redactText } from "../redact/secrets.js";
import { withoutSecrets } from "./sql-locate.js";
import { done, notYet, waitFor } from "../wait/wait.js";
import { isTransientNetworkError, messageOf } from "./transient.js";
import type { SeedFile } from "./files.js";
import type { SeedHistory } from "./plan.js";
import type { RedisCommand } from "./redis-commands.js";

export interface RedisEndpoint {
  host: string;
  port: number;
  password?: string;
  db: number;
  /** What the user calls this server, e.g. `compose service "redis"`. */
  label: string;
  /** Why the way to the server (a port-forward) failed, when it did: reported instead of retrying. */
  failure?(): Error | undefined;
}

/** The hash recording applied files: field = file, value = checksum. */
export const REDIS_HISTORY_KEY = "devenv:seed:history";

/** Connects and authenticates, retrying while the server is down or loading. */
export async function connectRedis(ep: RedisEndpoint, timeoutMs: number): Promise<Redis> {
  return waitFor(
    `Redis (${ep.label}) at ${ep.host}:${ep.port} to answer`,
    async () => {
      try {
        return done(await connectOnce(ep));
      } catch (e) {
        const forward = ep.failure?.();
        if (forward) throw forward;
        if (isTransientNetworkError(e) || /LOADING|Connection is closed/i.test(messageOf(e))) return notYet(messageOf(e));
        throw e;
      }
    },
    { timeoutMs, intervalMs: 100, maxIntervalMs: 2000, where: ep.label, hint: "check that the server is running (`devenv status`, `docker ps`), then run `devenv seed` again" },
  );
}

async function connectOnce(ep: RedisEndpoint): Promise<Redis> {
  const r = new Redis({ host: ep.host, port: ep.port, password: ep.password, db: ep.db, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 5000, enableOfflineQueue: false });
  let last: unknown;
  r.on("error", (e) => (last = e)); // connect() only says "Connection is closed"; the cause comes here
  try {
    await r.connect();
    await r.ping();
    return r;
  } catch (e) {
    r.disconnect();
    const cause = last ?? e;
    const msg = messageOf(cause);
    if (/WRONGPASS|NOAUTH|invalid password|without any password/i.test(msg)) {
      throw new DevenvError(`Redis (${ep.label}) rejected the connection: ${ep.password ? "wrong password" : "a password is required"} (${msg.trim()})`, {
        where: ep.label,
        hint: "set the seed's password source in devenv.ts to the server's requirepass",
        cause,
      });
    }
    throw cause;
  }
}

/** The recorded history. */
export async function readRedisHistory(r: Redis): Promise<SeedHistory> {
  return new Map(Object.entries(await r.hgetall(REDIS_HISTORY_KEY)));
}

/** Runs a file's commands in one MULTI/EXEC, then records it; errors name file:line. */
export async function applyRedisFile(r: Redis, file: SeedFile, commands: RedisCommand[]): Promise<void> {
  const p = r.pipeline().call("MULTI");
  for (const c of commands) p.call(c.args[0]!, ...c.args.slice(1));
  p.call("EXEC");
  const results = (await p.exec()) ?? [];
  // results: [MULTI, ...one QUEUED (or queue error) per command, EXEC]
  const queued = results.slice(1, -1);
  const qi = queued.findIndex(([e]) => e);
  if (qi >= 0) throw commandError(commands[qi]!, queued[qi]![0]!, "nothing of this file was applied (the transaction was discarded)");
  const [execErr, replies] = results[results.length - 1] ?? [];
  if (execErr) throw commandError(commands[0]!, execErr, "nothing of this file was applied");
  const ri = (replies as unknown[]).findIndex((x) => x instanceof Error);
  if (ri >= 0) {
    throw commandError(commands[ri]!, (replies as Error[])[ri]!, "Redis has no rollback: the commands before it were applied, but the file is not recorded, so `devenv seed` runs it again");
  }
  await r.hset(REDIS_HISTORY_KEY, file.name, file.checksum);
}

function commandError(c: RedisCommand, e: Error, consequence: string): DevenvError {
  const where = `${c.file}:${c.line}`;
  const secret = secretCommand(c.args);
  if (secret) {
    // Its arguments hold a password: name the command only, and keep them out of Redis's message (and of --verbose's cause).
    const message = withoutSecrets(e.message.trim(), secret.secrets);
    return new DevenvError(`${c.file}: Redis refused ${secret.name} (its arguments are not shown: they hold a secret): ${message}`, { where, hint: `fix the command at ${where}; ${consequence}` });
  }
  return new DevenvError(`${c.file}: Redis refused \`${redactText(c.args.join(" ").slice(0, 120))}\`: ${redactText(e.message.trim())}`, { where, hint: `fix the command; ${consequence}`, cause: e });
}

/** A command whose arguments hold a secret (`AUTH`, `CONFIG SET requirepass`, `ACL SETUSER`, `HELLO ... AUTH`, `MIGRATE ... AUTH`):
 *  its name and the secret values, or undefined. */
export function secretCommand(args: string[]): { name: string; secrets: string[] } | undefined {
  const [a = "", b = ""] = args.map((x) => x.toUpperCase());
  if (a === "AUTH") return { name: "AUTH", secrets: args.slice(1) };
  if (a === "ACL" && b === "SETUSER") {
    // Rules `>pw` / `<pw` (a password) and `#hash` / `!hash`: the rule and the value without its prefix.
    const rules = args.slice(3).filter((r) => /^[<>#!]./.test(r));
    return { name: "ACL SETUSER", secrets: [...rules, ...rules.map((r) => r.slice(1))] };
  }
  if (a === "CONFIG" && b === "SET") {
    const i = args.findIndex((x, j) => j >= 2 && /^(requirepass|masterauth)$/i.test(x));
    if (i >= 0) return { name: `CONFIG SET ${args[i]!.toLowerCase()}`, secrets: args.slice(i + 1, i + 2) };
  }
  if (a === "HELLO" || a === "MIGRATE") {
    const i = args.findIndex((x) => /^AUTH2?$/i.test(x));
    if (i >= 0) return { name: a, secrets: args.slice(i + 1, i + (/^AUTH2$/i.test(args[i]!) || a === "HELLO" ? 3 : 2)) };
  }
  return undefined;
}

/** Empties the endpoint's logical database (history included). */
export async function flushRedisDb(r: Redis): Promise<void> {
  await r.flushdb();
}

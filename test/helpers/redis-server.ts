// A throwaway redis-server for tests: a free port, a password, no persistence, torn down after.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { freePort, waitFor } from "./pg-server.js";

export interface RedisServer {
  host: string;
  port: number;
  password: string;
  stop(): Promise<void>;
}

/** Starts redis-server on 127.0.0.1 with `--requirepass password`, no RDB/AOF. */
export async function startRedisServer(password = "redis-test-secret"): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), "devenv-redis-"));
  const port = await freePort();
  const proc = execa("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--requirepass", password, "--save", "", "--appendonly", "no", "--dir", dir]);
  proc.catch(() => undefined); // killed on teardown
  const ping = () => execa("redis-cli", ["-p", String(port), "--no-auth-warning", "-a", password, "PING"], { reject: false }).then((r) => r.stdout.trim() === "PONG");
  await waitFor(`redis-server on port ${port}`, ping);
  return {
    host: "127.0.0.1",
    port,
    password,
    stop: async () => {
      proc.kill("SIGTERM");
      await proc.catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

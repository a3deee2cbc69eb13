// The Docker engine client. One dockerode instance per process, made on first use so that
// commands which never touch Docker (help, compare-compose) do not pay for loading it.
import type Dockerode from "dockerode";
import { DevenvError } from "../errors/devenv-error.js";

let instance: Dockerode | undefined;

export async function docker(): Promise<Dockerode> {
  if (!instance) {
    const { default: Docker } = await import("dockerode");
    instance = new Docker(); // honours DOCKER_HOST, else /var/run/docker.sock
  }
  return instance;
}

/** Pings the daemon through the API (a docker binary on PATH proves nothing). */
export async function pingDocker(timeoutMs = 3000): Promise<{ ok: true; version: string; apiVersion: string } | { ok: false; reason: string }> {
  try {
    const d = await docker();
    const v = await Promise.race([
      d.version(),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { ok: true, version: v.Version, apiVersion: v.ApiVersion };
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/** Throws a clear error when the daemon cannot be reached. */
export async function requireDocker(): Promise<Dockerode> {
  const p = await pingDocker();
  if (!p.ok) {
    throw new DevenvError(`the Docker daemon is not reachable: ${p.reason}`, {
      hint: "start Docker (Docker Desktop, or `sudo systemctl start docker`), then run `devenv doctor`",
    });
  }
  return docker();
}

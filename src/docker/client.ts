// The Docker engine client: the funnel every Docker call of devenv goes through (the narrow
// DockerClient of ./types.ts; only src/docker knows dockerode). One dockerode instance per
// process, made on first use so that commands which never touch Docker (help,
// compare-compose) do not pay for loading it.
import type Dockerode from "dockerode";
import { DevenvError } from "../errors/devenv-error.js";
import { containersOf } from "./containers.js";
import { imagesOf } from "./images.js";
import { streamHelpers } from "./streams.js";
import { networksOf, systemOf } from "./system.js";
import { volumesOf } from "./volumes.js";
import type { DockerClient } from "./types.js";

export type * from "./types.js";

let instance: DockerClient | undefined;

/** The client over one dockerode instance. */
export function clientOver(d: Dockerode): DockerClient {
  return { containers: containersOf(d), images: imagesOf(d), volumes: volumesOf(d), networks: networksOf(d), ...systemOf(d), ...streamHelpers(d) };
}

export async function docker(): Promise<DockerClient> {
  if (!instance) {
    const { default: Docker } = await import("dockerode");
    instance = clientOver(new Docker()); // honours DOCKER_HOST, else /var/run/docker.sock
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
export async function requireDocker(): Promise<DockerClient> {
  const p = await pingDocker();
  if (!p.ok) {
    throw new DevenvError(`the Docker daemon is not reachable: ${p.reason}`, {
      hint: "start Docker (Docker Desktop, or `sudo systemctl start docker`), then run `devenv doctor`",
    });
  }
  return docker();
}

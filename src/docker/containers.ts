// containers.* of the Docker client over dockerode; each call says itself on the debug channel
// (names and IDs only: never env values).
import type { Duplex } from "node:stream";
import type Dockerode from "dockerode";
import { debugFor } from "../debug/index.js";
import { redactArgv } from "../redact/secrets.js";
import { demux } from "./streams.js";
import type { ContainerInspect, ContainerSummary, DockerClient } from "./types.js";

const debug = debugFor("docker");

/** An ID as `docker ps` shows it (12 hex digits, `sha256:` kept); names and refs stay as they are. */
export const short = (id: string): string => id.replace(/^(sha256:)?([0-9a-f]{12})[0-9a-f]{52}$/, "$1$2");

/** `label=a,b status=running`, for debug lines. */
export function describeFilters(filters: Record<string, string[]> | undefined): string {
  return Object.entries(filters ?? {})
    .map(([k, v]) => `${k}=${v.join(",")}`)
    .join(" ");
}

export function containersOf(d: Dockerode): DockerClient["containers"] {
  return {
    async list(opts = {}) {
      debug(`containers.list${opts.all ? " all" : ""} ${describeFilters(opts.filters)}`.trimEnd());
      return (await d.listContainers(opts)) as unknown as ContainerSummary[];
    },
    async inspect(id) {
      debug(`containers.inspect ${short(id)}`);
      return (await d.getContainer(id).inspect()) as unknown as ContainerInspect;
    },
    async create(opts) {
      debug(`containers.create${opts.name ? ` ${opts.name}` : ""} image=${opts.Image}`);
      return (await d.createContainer(opts as Dockerode.ContainerCreateOptions)).id;
    },
    async start(id) {
      debug(`containers.start ${short(id)}`);
      await d.getContainer(id).start();
    },
    async stop(id, opts) {
      debug(`containers.stop ${short(id)}${opts?.t !== undefined ? ` t=${opts.t}` : ""}`);
      await d.getContainer(id).stop(opts);
    },
    async restart(id, opts) {
      debug(`containers.restart ${short(id)}${opts?.t !== undefined ? ` t=${opts.t}` : ""}`);
      await d.getContainer(id).restart(opts);
    },
    async rename(id, name) {
      debug(`containers.rename ${short(id)} → ${name}`);
      await d.getContainer(id).rename({ name });
    },
    async remove(id, opts) {
      debug(`containers.remove ${short(id)}${opts?.force ? " force" : ""}${opts?.v ? " volumes" : ""}`);
      await d.getContainer(id).remove(opts);
    },
    async exec(id, cmd, opts = {}) {
      const stdin = Boolean(opts.stdin);
      debug(() => `containers.exec ${short(id)}${stdin ? " (stdin)" : ""} ${redactArgv(cmd).join(" ")}`);
      const exec = await d.getContainer(id).exec({ Cmd: cmd, AttachStdin: stdin, AttachStdout: true, AttachStderr: true });
      return {
        async start() {
          debug(`exec.start ${short(id)} ${short(exec.id)}`);
          return demux(d, (await exec.start({ hijack: true, stdin })) as unknown as Duplex);
        },
        async exitCode() {
          debug(`exec.inspect ${short(id)} ${short(exec.id)}`);
          return (await exec.inspect()).ExitCode ?? undefined;
        },
      };
    },
    async putArchive(id, tar, opts) {
      debug(`containers.putArchive ${short(id)} ${opts.path} (${tar.length} bytes)`);
      await d.getContainer(id).putArchive(tar, opts);
    },
  };
}

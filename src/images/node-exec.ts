// Runs a command inside a node container (kind/k3d nodes are containers) through the engine's
// exec API, optionally streaming a tar into its stdin without a temp file, like
// `docker save | docker exec -i NODE ctr images import -`.
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { DockerClient, Exec } from "../docker/client.js";
import { DevenvError } from "../errors/devenv-error.js";

export interface NodeExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  /** Bytes written to the command's stdin. */
  bytesIn: number;
}

/** Runs `cmd` in container `node`; never throws for a non-zero exit (the caller decides). */
export async function execInNode(d: DockerClient, node: string, cmd: string[], stdin?: Readable): Promise<NodeExecResult> {
  let exec: Exec;
  try {
    exec = await d.containers.exec(node, cmd, { stdin: Boolean(stdin) });
  } catch (e) {
    throw nodeUnreachable(node, e);
  }
  const { connection: stream, stdout: out, stderr: err, ended } = await exec.start();
  let stdout = "";
  let stderr = "";
  out.on("data", (b: Buffer) => (stdout += b.toString()));
  err.on("data", (b: Buffer) => (stderr += b.toString()));
  let bytesIn = 0;
  if (stdin) {
    stdin.on("data", (b: Buffer) => (bytesIn += b.length));
    // Ending the hijacked socket half-closes it: the command sees EOF on stdin.
    await pipeline(stdin, stream).catch((e: unknown) => {
      throw new DevenvError(`streaming into node ${node} broke off: ${e instanceof Error ? e.message : String(e)}`, { cause: e, hint: `check that the node container is healthy: docker logs ${node}` });
    });
  }
  await ended;
  return { stdout, stderr, exitCode: (await exec.exitCode()) ?? 1, bytesIn };
}

/** The node container is missing or stopped. */
export function nodeUnreachable(node: string, cause: unknown): DevenvError {
  const status = (cause as { statusCode?: number }).statusCode;
  const what = status === 404 ? "does not exist" : status === 409 ? "is not running" : `cannot be reached (${cause instanceof Error ? cause.message : String(cause)})`;
  return new DevenvError(`node container ${node} ${what}`, {
    cause,
    hint: "check the cluster's nodes with `docker ps -a` (kind names them <cluster>-control-plane, k3d k3d-<cluster>-server-0); `devenv up` recreates a missing cluster",
  });
}

// The engine's streams: JSON-lines progress (push, pull, build) read to the end, and the
// multiplexed output of a hijacked exec split into stdout and stderr.
import { PassThrough, type Duplex, type Readable } from "node:stream";
import type Dockerode from "dockerode";
import type { DockerClient, ExecStream } from "./types.js";

type Follow = (stream: NodeJS.ReadableStream, done: (err: Error | null) => void, each?: (ev: any) => void) => void;

function follow<E>(fn: Follow, stream: Readable, onEvent?: (ev: E) => void): Promise<void> {
  return new Promise((resolve, reject) => fn(stream, (err) => (err ? reject(err) : resolve()), onEvent));
}

export function streamHelpers(d: Dockerode): Pick<DockerClient, "followProgress" | "followBuild"> {
  return {
    followProgress: (stream, onEvent) => follow(d.modem.followProgress.bind(d.modem), stream, onEvent),
    // dockerode's own followProgress also decodes BuildKit's protobuf trace (absent from @types/dockerode).
    followBuild: (stream, onEvent) => follow((d as unknown as { followProgress: Follow }).followProgress.bind(d), stream, onEvent),
  };
}

/** Splits a hijacked exec connection into stdout and stderr; `ended` settles with the connection. */
export function demux(d: Dockerode, connection: Duplex): ExecStream {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  d.modem.demuxStream(connection, stdout, stderr);
  const ended = new Promise<void>((resolve, reject) => {
    connection.on("end", resolve);
    connection.on("close", resolve);
    connection.on("error", reject);
  });
  ended.catch(() => {}); // callers that never wait for the end (the sync agent) watch the connection themselves
  return { connection, stdout, stderr, ended };
}

// A command in a pod's container over the exec websocket, in the channel protocol kubectl and
// client-node speak: binary frames whose first byte is the channel (0 stdin, 1 stdout,
// 2 stderr, 3 the final Status), v5.channel.k8s.io preferred so stdin can be closed on its own
// (a 255,0 frame); older protocols can only end stdin by closing the connection.
import type { Readable } from "node:stream";
import { commandLine } from "../exec/runner.js";
import type { KubeRest } from "./rest.js";

/** The subprotocols offered for exec and port-forward, preferred first (as client-node offers them). */
export const CHANNEL_PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"] as const;

export const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
/** v5: `255, n` closes stream n. */
export const CLOSE_STREAM = 255;

/** The metav1.Status that ends an exec (status channel). */
export interface ExecStatus {
  status?: string;
  reason?: string;
  message?: string;
  details?: { causes?: { reason?: string; message?: string; field?: string }[] };
}

export interface ExecOptions {
  namespace: string;
  pod: string;
  container: string;
  command: readonly string[];
  /** Fed to the command's stdin; its end closes stdin (v5) or the connection (older protocols). */
  stdin?: Readable | Buffer;
  stdout(chunk: Buffer): void;
  stderr(chunk: Buffer): void;
}

export interface ExecSession {
  /** The negotiated subprotocol. */
  readonly protocol: string;
  /** The final Status; undefined when the connection closed without one. */
  readonly done: Promise<ExecStatus | undefined>;
  close(): void;
}

/** Whether the protocol can close one stream and keep the connection (v5.channel.k8s.io). */
export const supportsClose = (protocol: string) => protocol === "v5.channel.k8s.io";

/** Sends `chunk` on `channel`: the channel byte, then the bytes. */
export const frame = (channel: number, chunk: Buffer) => Buffer.concat([Buffer.from([channel]), chunk]);

/** Parses a status-channel payload: JSON from v4 on, plain error text before. */
function parseStatus(text: string): ExecStatus {
  try {
    return JSON.parse(text) as ExecStatus;
  } catch {
    return { status: "Failure", message: text };
  }
}

/** Starts `command`; resolves once the connection is open (stdout/stderr flow through the callbacks). */
export async function execInPod(rest: KubeRest, o: ExecOptions): Promise<ExecSession> {
  let settle!: (s: ExecStatus | undefined) => void;
  let settled = false;
  const done = new Promise<ExecStatus | undefined>((resolve) => (settle = resolve));
  const finish = (s: ExecStatus | undefined) => {
    if (settled) return;
    settled = true;
    settle(s);
  };
  const ws = await rest.websocket(`/api/v1/namespaces/${o.namespace}/pods/${o.pod}/exec`, {
    query: { stdout: true, stderr: true, stdin: o.stdin !== undefined, tty: false, command: o.command, container: o.container },
    protocols: CHANNEL_PROTOCOLS,
    note: () => `exec in ${o.pod}/${o.container}: ${commandLine(o.command[0] ?? "", o.command.slice(1))}`,
    onMessage: (data, _binary, socket) => {
      if (data.length < 2) return;
      const payload = data.subarray(1);
      if (data[0] === STDOUT) o.stdout(payload);
      else if (data[0] === STDERR) o.stderr(payload);
      else if (data[0] === STATUS) {
        finish(parseStatus(payload.toString("utf8")));
        socket.close();
      }
    },
  });
  ws.on("close", () => finish(undefined));
  const endStdin = () => (supportsClose(ws.protocol) ? ws.send(Buffer.from([CLOSE_STREAM, STDIN])) : ws.close());
  if (Buffer.isBuffer(o.stdin)) {
    ws.send(frame(STDIN, o.stdin));
    endStdin();
  } else if (o.stdin) {
    o.stdin.on("data", (c: Buffer | string) => ws.send(frame(STDIN, Buffer.isBuffer(c) ? c : Buffer.from(c))));
    o.stdin.on("end", endStdin);
  }
  return { protocol: ws.protocol, done, close: () => ws.close() };
}

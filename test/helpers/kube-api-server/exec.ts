// The exec subresource (GET /api/v1/namespaces/{ns}/pods/{pod}/exec, upgraded to a websocket):
// the channel protocol of v5.channel.k8s.io / v4.channel.k8s.io (1 stdout, 2 stderr, 3 the
// Status, 0 stdin in, 255+0 stdin closed in v5), with the container played by the test's
// handler. Without a handler every exec fails like a container without the command.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { KObj } from "./store.js";

/** What a test's handler gets: the call, and the streams of the "container". */
export interface ExecCall {
  namespace: string;
  pod: KObj;
  container: string;
  command: string[];
  /** Whether the client asked for stdin (`stdin=true`), as kubelet passes it on to the runtime. */
  stdin: boolean;
  stdout(data: string | Buffer): void;
  stderr(data: string | Buffer): void;
  /** Each stdin chunk; `end` once the client closed stdin (v5) or the connection. */
  onStdin(data: (chunk: Buffer) => void, end?: () => void): void;
  /** Ends the exec with this exit code (the Status kubelet sends), and closes the connection. */
  exit(code: number): void;
}

export type ExecHandler = (call: ExecCall) => void;

export class PodExecs {
  handler?: ExecHandler;
  /** Every exec as `pod/container: command`, in order. */
  readonly calls: string[] = [];
  private readonly wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (p) => (p.has("v5.channel.k8s.io") ? "v5.channel.k8s.io" : p.has("v4.channel.k8s.io") ? "v4.channel.k8s.io" : false),
  });

  /** Handles an HTTP upgrade; returns false when it is not an exec request. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, pod: (ns: string, name: string) => KObj | undefined): boolean {
    const url = new URL(req.url ?? "/", "http://x");
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    if (!m) return false;
    const [namespace, name] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
    const found = pod(namespace, name);
    if (!found) {
      socket.end(`HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n\r\n${JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", message: `pods "${name}" not found`, code: 404 })}`);
      return true;
    }
    const command = url.searchParams.getAll("command");
    const container = url.searchParams.get("container") ?? (found.spec?.containers?.[0]?.name as string);
    const stdin = url.searchParams.get("stdin") === "true";
    this.calls.push(`${name}/${container}: ${command.join(" ")}`);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, { namespace, pod: found, container, command, stdin }));
    return true;
  }

  private serve(ws: WebSocket, call: Pick<ExecCall, "namespace" | "pod" | "container" | "command" | "stdin">): void {
    const send = (channel: number, data: string | Buffer) => ws.readyState === ws.OPEN && ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]));
    let onData: (chunk: Buffer) => void = () => {};
    let onEnd: () => void = () => {};
    ws.on("message", (data: Buffer) => {
      if (data[0] === 0) onData(data.subarray(1));
      else if (data[0] === 255 && data[1] === 0) onEnd();
    });
    ws.on("close", () => onEnd());
    const exit = (code: number) => {
      const status = code === 0 ? { metadata: {}, status: "Success" } : { metadata: {}, status: "Failure", reason: "NonZeroExitCode", message: `command terminated with non-zero exit code: exit status ${code}`, details: { causes: [{ reason: "ExitCode", message: String(code) }] } };
      send(3, JSON.stringify(status));
      ws.close();
    };
    const handler: ExecHandler =
      this.handler ??
      ((c) => {
        c.stderr(`OCI runtime exec failed: exec failed: unable to start container process: exec: "${c.command[0]}": executable file not found in $PATH: unknown`);
        c.exit(126);
      });
    handler({
      ...call,
      stdout: (d) => send(1, d),
      stderr: (d) => send(2, d),
      onStdin: (data, end) => {
        onData = data;
        onEnd = end ?? (() => {});
      },
      exit,
    });
  }
}

// The pod port-forward websocket (`/api/v1/namespaces/ns/pods/name/portforward?ports=N`) as
// client-node speaks it: binary frames whose first byte is the channel (0 data, 1 error), and
// a first frame per channel carrying the port. A test maps pod ports to real TCP servers.
import type { IncomingMessage } from "node:http";
import { connect } from "node:net";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";

export class PortForwards {
  /** `ns/pod/port` → the host port a test server listens on. */
  readonly targets = new Map<string, number>();
  /** When set, every port-forward upgrade is answered with this status (e.g. 500, as a kubelet that cannot reach the pod). */
  refuse?: { code: number; message: string };
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has("v4.channel.k8s.io") ? "v4.channel.k8s.io" : false) });

  /** Handles an HTTP upgrade; returns false when it is not a port-forward request. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, podExists: (ns: string, pod: string) => boolean): boolean {
    const url = new URL(req.url ?? "/", "http://localhost");
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/.exec(url.pathname);
    if (!m) return false;
    const [, ns, pod] = m as unknown as [string, string, string];
    const port = Number(url.searchParams.get("ports"));
    if (this.refuse) {
      const { code, message } = this.refuse;
      socket.end(`HTTP/1.1 ${code} Refused\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message, reason: code === 500 ? "InternalError" : "Forbidden", code })}`);
      return true;
    }
    if (!podExists(ns, pod)) {
      socket.end(`HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n\r\n${JSON.stringify({ kind: "Status", apiVersion: "v1", status: "Failure", message: `pods "${pod}" not found`, reason: "NotFound", code: 404 })}`);
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const prefix = (channel: number) => Buffer.from([channel, port & 0xff, port >> 8]);
      ws.send(prefix(0));
      ws.send(prefix(1));
      const hostPort = this.targets.get(`${ns}/${pod}/${port}`);
      if (hostPort === undefined) {
        ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`error forwarding port ${port} to pod ${pod}: connection refused`)]));
        ws.close();
        return;
      }
      const tcp = connect(hostPort, "127.0.0.1");
      tcp.on("data", (d) => ws.send(Buffer.concat([Buffer.from([0]), d])));
      tcp.on("error", (e) => {
        ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(`error forwarding port ${port}: ${e.message}`)]));
        ws.close();
      });
      tcp.on("close", () => ws.close());
      ws.on("message", (data: Buffer) => {
        if (data[0] === 0) tcp.write(data.subarray(1));
      });
      ws.on("close", () => tcp.end());
    });
    return true;
  }

  close(): void {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
  }
}

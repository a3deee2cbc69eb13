// A port-forward to a pod behind a Service: a local TCP server on 127.0.0.1 whose every
// connection becomes one port-forward websocket (`/pods/<pod>/portforward?ports=N`), in the
// channel protocol kubectl and client-node speak: channel 0 carries the data, channel 1 the
// errors, and the first frame of each starts with the port (2 bytes, little-endian).
import { createServer, type Socket } from "node:net";
import { DevenvError } from "../errors/devenv-error.js";
import { debugFor } from "../debug/index.js";
import { CHANNEL_PROTOCOLS, CLOSE_STREAM, STDIN, frame, supportsClose } from "./exec.js";
import { containersOf, type PodSpec } from "./pod-spec.js";
import type { KubeRest } from "./rest.js";

const debug = debugFor("kube");

export interface PortForward {
  /** Local port on 127.0.0.1. */
  localPort: number;
  close(): Promise<void>;
}

type Pod = { metadata: { name: string }; spec?: PodSpec; status?: { phase?: string; conditions?: { type: string; status: string }[] } };
type Service = { spec?: { selector?: Record<string, string>; ports?: { port: number; targetPort?: number | string; name?: string }[] } };

/** Which pod and pod port serve `port` of the Service: a ready pod first, named target ports resolved. Pure. */
export function pickBackend(service: string, svc: Service, pods: Pod[], port: number): { pod: string; podPort: number } {
  const sp = svc.spec?.ports?.find((p) => p.port === port);
  if (!sp) throw new DevenvError(`Service ${service} has no port ${port}`, { hint: `its ports: ${(svc.spec?.ports ?? []).map((p) => p.port).join(", ") || "none"}` });
  const ready = (p: Pod) => p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
  const pod = pods.find(ready) ?? pods.find((p) => p.status?.phase === "Running");
  if (!pod) throw new DevenvError(`no running pod behind Service ${service}`, { hint: "see `devenv status`; the workload may still be starting or failing" });
  const target = sp.targetPort ?? sp.port;
  if (typeof target === "number") return { pod: pod.metadata.name, podPort: target };
  const named = containersOf({ ...pod, kind: "Pod" }).flatMap((c) => c.ports ?? []).find((p) => p.name === target);
  if (!named) throw new DevenvError(`Service ${service} targets port "${target}", which no container of pod ${pod.metadata.name} names`);
  return { pod: pod.metadata.name, podPort: named.containerPort };
}

/** One port-forward websocket to `pod:port` carrying `socket`'s bytes both ways; resolves once open. */
export async function forwardSocket(rest: KubeRest, namespace: string, pod: string, port: number, socket: Socket): Promise<{ close(): void; on(event: "close", fn: () => void): void }> {
  const portPrefix = [true, true];
  const ws = await rest.websocket(`/api/v1/namespaces/${namespace}/pods/${pod}/portforward`, {
    query: { ports: port },
    protocols: CHANNEL_PROTOCOLS,
    note: `port-forward ${pod}:${port}`,
    onMessage: (data, _binary, w) => {
      const channel = data[0] ?? CLOSE_STREAM;
      // Anything past the data and error channels (a closed stream, another port) ends the forward.
      if (channel > 1) return w.close();
      let payload = data.subarray(1);
      if (portPrefix[channel]) {
        payload = payload.subarray(2);
        portPrefix[channel] = false;
      }
      if (payload.length === 0) return;
      if (channel === 0) socket.write(payload);
      else debug(`port-forward ${pod}:${port}: ${payload.toString("utf8")}`);
    },
  });
  socket.on("data", (d: Buffer) => ws.send(frame(STDIN, d)));
  socket.on("end", () => (supportsClose(ws.protocol) ? ws.send(Buffer.from([CLOSE_STREAM, STDIN])) : ws.close()));
  return ws;
}

export async function openPortForward(rest: KubeRest, namespace: string, service: string, port: number): Promise<PortForward> {
  const svc = await rest.find<Service>(`/api/v1/namespaces/${namespace}/services/${service}`);
  if (!svc) throw new DevenvError(`Service ${service} not found in namespace ${namespace}`, { hint: "check the seed's target.service in devenv.ts and that `devenv up` applied the manifests" });
  const selector = Object.entries(svc.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
  if (!selector) throw new DevenvError(`Service ${service} has no selector, so it has no pods to forward to`);
  const pods = await rest.list<Pod>(`/api/v1/namespaces/${namespace}/pods`, { labelSelector: selector });
  const { pod, podPort } = pickBackend(service, svc, pods.items, port);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    forwardSocket(rest, namespace, pod, podPort, socket)
      .then((ws) => {
        ws.on("close", () => socket.end());
        socket.on("close", () => ws.close());
      })
      .catch((e: Error) => socket.destroy(e));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  return {
    localPort: typeof address === "object" && address ? address.port : 0,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

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
  /** The pod and pod port forwarded to. */
  pod: string;
  podPort: number;
  /** Why the last connection through the forward failed (the server refused it, the pod's port is closed...), if it did. */
  failure(): DevenvError | undefined;
  close(): Promise<void>;
}

/** A failed port-forward as devenv reports it: the pod, the port, what the server said, what to do. */
export function portForwardError(namespace: string, service: string, pod: string, port: number, e: unknown): DevenvError {
  const said = e instanceof Error ? e.message : String(e);
  return new DevenvError(`cannot port-forward to pod ${namespace}/${pod} port ${port} (behind Service ${service}): ${said}`, {
    where: `Service ${namespace}/${service}`,
    hint: `check that pod ${pod} is running and listens on ${port} (\`devenv status\`, \`devenv logs ${service}\`); if the cluster refused the forward itself, check \`kubectl port-forward -n ${namespace} pod/${pod} ${port}\``,
    cause: e,
  });
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

/**
 * One port-forward websocket to `pod:port` carrying `socket`'s bytes both ways; resolves once
 * open. What the server says on the error channel (e.g. the pod's port refused the connection)
 * goes to `onError` and ends the connection.
 */
export async function forwardSocket(rest: KubeRest, namespace: string, pod: string, port: number, socket: Socket, onError?: (message: string) => void): Promise<{ close(): void; on(event: "close", fn: () => void): void }> {
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
      if (channel === 0) return void socket.write(payload);
      debug(`port-forward ${pod}:${port}: ${payload.toString("utf8")}`);
      onError?.(payload.toString("utf8"));
      socket.destroy();
      w.close();
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
  // Ask once before saying the forward is open: a refused upgrade (500, 403, pod gone) is the answer now.
  try {
    const probe = await rest.websocket(`/api/v1/namespaces/${namespace}/pods/${pod}/portforward`, { query: { ports: podPort }, protocols: CHANNEL_PROTOCOLS, note: `port-forward ${pod}:${podPort} (check)`, onMessage: () => undefined });
    probe.close();
  } catch (e) {
    throw portForwardError(namespace, service, pod, podPort, e);
  }
  let failure: DevenvError | undefined;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    // A failure is recorded and ends this connection; it never becomes an unhandled 'error' event.
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
    forwardSocket(rest, namespace, pod, podPort, socket, (message) => (failure = portForwardError(namespace, service, pod, podPort, message)))
      .then((ws) => {
        ws.on("close", () => socket.end());
        socket.on("close", () => ws.close());
      })
      .catch((e: Error) => {
        failure = portForwardError(namespace, service, pod, podPort, e);
        socket.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  return {
    localPort: typeof address === "object" && address ? address.port : 0,
    pod,
    podPort,
    failure: () => failure,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

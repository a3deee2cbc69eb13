// A port-forward to a pod behind a Service, through client-node's PortForward: a local TCP
// server on 127.0.0.1 whose every connection becomes one port-forward websocket.
import { createServer, type Socket } from "node:net";
import type { KubeConfig } from "@kubernetes/client-node";
import { DevenvError } from "../errors/devenv-error.js";
import { KubeRest } from "./rest.js";

export interface PortForward {
  /** Local port on 127.0.0.1. */
  localPort: number;
  close(): Promise<void>;
}

type Pod = { metadata: { name: string }; spec?: { containers?: { ports?: { name?: string; containerPort: number }[] }[] }; status?: { phase?: string; conditions?: { type: string; status: string }[] } };
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
  const named = pod.spec?.containers?.flatMap((c) => c.ports ?? []).find((p) => p.name === target);
  if (!named) throw new DevenvError(`Service ${service} targets port "${target}", which no container of pod ${pod.metadata.name} names`);
  return { pod: pod.metadata.name, podPort: named.containerPort };
}

export async function openPortForward(kc: KubeConfig, namespace: string, service: string, port: number): Promise<PortForward> {
  const rest = new KubeRest(kc);
  const svc = await rest.find<Service>(`/api/v1/namespaces/${namespace}/services/${service}`);
  if (!svc) throw new DevenvError(`Service ${service} not found in namespace ${namespace}`, { hint: "check the seed's target.service in devenv.ts and that `devenv up` applied the manifests" });
  const selector = Object.entries(svc.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(",");
  if (!selector) throw new DevenvError(`Service ${service} has no selector, so it has no pods to forward to`);
  const pods = await rest.request<{ items: Pod[] }>("GET", `/api/v1/namespaces/${namespace}/pods`, { query: { labelSelector: selector } });
  const { pod, podPort } = pickBackend(service, svc, pods.items, port);
  const { PortForward: Forwarder } = await import("@kubernetes/client-node");
  const forwarder = new Forwarder(kc);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    forwarder
      .portForward(namespace, pod, [podPort], socket, null, socket)
      .then((ws) => {
        const w = ws as { on?(ev: string, fn: () => void): void; close?(): void };
        w.on?.("close", () => socket.end());
        socket.on("close", () => w.close?.());
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

// kompose's labels for the Service a compose service becomes, as kompose reads them
// (kubernetes/kompose docs/user-guide.md, pkg/transformer/kubernetes/kubernetes.go initIngress):
// `kompose.service.type` (nodeport, clusterip, loadbalancer, headless),
// `kompose.service.nodeport.port`, `kompose.service.external-traffic-policy`,
// `kompose.service.expose` (an Ingress: comma-separated hosts, each `host[/path]`; "true" = a
// rule without host), `kompose.service.expose.ingress-class-name` and `.tls-secret`. Other
// `kompose.*` labels are listed as not converted. Pure.
import type { ComposeService } from "../compose/model.js";
import { prune } from "./probes.js";

export interface KubeServiceShape {
  type?: "NodePort" | "LoadBalancer" | "ClusterIP";
  clusterIP?: "None";
  nodePort?: number;
  externalTrafficPolicy?: "Cluster" | "Local";
  /** The Ingress spec for a backend port, when `kompose.service.expose` asks for one. */
  ingress?: (port: number) => Record<string, unknown>;
  notes: string[];
}

const HONOURED = new Set(["kompose.service.type", "kompose.service.nodeport.port", "kompose.service.external-traffic-policy", "kompose.service.expose", "kompose.service.expose.ingress-class-name", "kompose.service.expose.tls-secret"]);

/** `name`: the Service's (and Ingress backend's) name. */
export function kubeServiceOf(s: ComposeService, ports: { port: number; protocol: string }[], name = s.name): KubeServiceShape {
  const label = (k: string) => s.labels[k]?.trim();
  const notes: string[] = [];
  const out: KubeServiceShape = { notes };
  const ignored = Object.keys(s.labels).filter((k) => k.startsWith("kompose.") && !HONOURED.has(k));
  if (ignored.length) notes.push(`${s.name}: label${ignored.length > 1 ? "s" : ""} ${ignored.join(", ")} not converted (convert reads kompose.service.type, .nodeport.port, .external-traffic-policy, .expose, .expose.ingress-class-name, .expose.tls-secret)`);
  const wanted = [label("kompose.service.type"), label("kompose.service.expose")].some(Boolean);
  if (!ports.length) {
    // headless needs no port: a headless Service without ports is the name of the pod
    if (label("kompose.service.type")?.toLowerCase() === "headless" && !label("kompose.service.expose")) return { ...out, clusterIP: "None" };
    if (wanted) notes.push(`${s.name}: kompose.service.type / kompose.service.expose not converted: the service has no ports, so it gets no Service`);
    return out;
  }
  const type = label("kompose.service.type")?.toLowerCase();
  if (type === "nodeport") out.type = "NodePort";
  else if (type === "loadbalancer") out.type = "LoadBalancer";
  else if (type === "headless") out.clusterIP = "None";
  else if (type && type !== "clusterip") notes.push(`${s.name}: kompose.service.type "${type}" not converted (kompose knows nodeport, clusterip, loadbalancer, headless)`);
  const nodePort = label("kompose.service.nodeport.port");
  if (nodePort) {
    const n = Number(nodePort);
    if (out.type === "NodePort" && Number.isInteger(n) && n > 0 && n < 65536) out.nodePort = n;
    else notes.push(`${s.name}: kompose.service.nodeport.port ${nodePort} not converted (it needs kompose.service.type: nodeport and a port number)`);
  }
  const policy = label("kompose.service.external-traffic-policy")?.toLowerCase();
  if (policy === "local" || policy === "cluster") {
    if (out.type) out.externalTrafficPolicy = policy === "local" ? "Local" : "Cluster";
    else notes.push(`${s.name}: kompose.service.external-traffic-policy not converted (it needs a NodePort or LoadBalancer Service)`);
  }
  const expose = label("kompose.service.expose");
  if (expose && expose.toLowerCase() !== "false") {
    const className = label("kompose.service.expose.ingress-class-name");
    const tls = label("kompose.service.expose.tls-secret");
    const rules = expose.split(/[ ,]*,[ ,]*/).filter(Boolean).map((h) => {
      const slash = h.indexOf("/");
      const [host, path] = slash < 0 ? [h, "/"] : [h.slice(0, slash), h.slice(slash) || "/"];
      return { host: host.toLowerCase() === "true" ? undefined : host, path };
    });
    out.ingress = (port) =>
      prune({
        ingressClassName: className || undefined,
        tls: tls ? [prune({ hosts: rules.flatMap((r) => (r.host ? [r.host] : [])), secretName: tls === "true" ? undefined : tls })] : undefined,
        rules: rules.map((r) => prune({ host: r.host, http: { paths: [{ path: r.path, pathType: "Prefix", backend: { service: { name, port: { number: port } } } }] } })),
      });
    notes.push(`${s.name}: kompose.service.expose → Ingress/${name} (${rules.map((r) => `${r.host ?? "any host"}${r.path}`).join(", ")})`);
  }
  return out;
}

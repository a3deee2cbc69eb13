// Shared fixtures for the kube integration tests: a small stack and a driver that plays the
// controllers (marks workloads ready once devenv creates them).
import type { KubeObject } from "../../../src/model/index.js";
import { setSource } from "../../../src/kube/sources.js";
import { KubeConfig } from "@kubernetes/client-node";
import { KubeRest } from "../../../src/kube/rest.js";
import { startKubeApiServer, type KubeApiServer } from "../../helpers/kube-api-server/index.js";

export const NS = "shop";

/** A fresh test API server and devenv's REST client pointed at it through a real kubeconfig. */
export async function serverWithRest(): Promise<{ server: KubeApiServer; rest: KubeRest }> {
  const server = await startKubeApiServer();
  const kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfig());
  return { server, rest: new KubeRest(kc) };
}

const pod = (name: string, image: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app: name } },
  spec: { containers: [{ name, image, ...extra }] },
});

/** A namespace, config, a Postgres StatefulSet, a migration Job, an API Deployment and its Ingress. */
export function stack(): KubeObject[] {
  const objs: KubeObject[] = [
    { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "api" }, spec: { rules: [{ host: "api.shop.localhost", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "api", port: { number: 80 } } } }] } }] } },
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" }, spec: { selector: { matchLabels: { app: "api" } }, template: pod("api", "shop/api:dev", { envFrom: [{ configMapRef: { name: "api-config" } }] }) } },
    { apiVersion: "batch/v1", kind: "Job", metadata: { name: "migrate" }, spec: { backoffLimit: 0, template: { spec: { restartPolicy: "Never", containers: [{ name: "migrate", image: "shop/api:dev" }] } } } },
    { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "postgres" }, spec: { serviceName: "postgres", selector: { matchLabels: { app: "postgres" } }, template: pod("postgres", "postgres:16") } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "postgres" }, spec: { clusterIP: "None", selector: { app: "postgres" }, ports: [{ port: 5432 }] } },
    { apiVersion: "v1", kind: "Service", metadata: { name: "api" }, spec: { selector: { app: "api" }, ports: [{ port: 80, targetPort: 8080 }] } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "api-config" }, data: { LOG_LEVEL: "info" } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } },
  ];
  return objs.map((o, i) => setSource(o, `k8s/stack.yaml:${i * 10 + 1}`));
}

/** Plays kubelet and controllers: whenever devenv creates a workload, `react` decides what happens to it. */
export function drive(server: KubeApiServer, react: (kind: string, name: string) => void, ns = NS): () => void {
  const seen = new Set<string>();
  const timer = setInterval(() => {
    for (const [apiVersion, kind] of [["apps/v1", "StatefulSet"], ["batch/v1", "Job"], ["apps/v1", "Deployment"]] as const) {
      for (const o of server.list(apiVersion, kind, ns)) {
        const key = `${kind}/${o.metadata.uid}/${o.metadata.generation}`;
        if (seen.has(key)) continue;
        seen.add(key);
        react(kind, o.metadata.name);
      }
    }
  }, 25);
  return () => clearInterval(timer);
}

/** The default reaction: every workload becomes ready, every Job completes. */
export const allGood = (server: KubeApiServer) => (kind: string, name: string) => {
  if (kind === "Job") server.completeJob(NS, name);
  else server.setWorkloadReady(NS, `${kind.toLowerCase()}/${name}`);
};

// Probes that prove each addon works, not just that its pods are ready: an RWX volume two
// pods use at once, a metrics read through the aggregated API, and the ingress answering on
// localhost. Object generation and verdicts are pure (unit-tested); the runners need a real
// cluster, so they are verified on a laptop only (see docs/clusters.md).
import type { KubeConfig } from "@kubernetes/client-node";
import { applyOverride } from "../config/overrides.js";
import { DevenvError } from "../errors/devenv-error.js";
import type { KubeObject } from "../model/index.js";

/** Image of the RWX probe pods (listed in addons.lock.yaml so it can be loaded from the host). */
export const PROBE_IMAGE = "busybox:1.36";
export const PROBE_NAMESPACE = "devenv-nfs";

export type Verdict = { status: "ok"; detail: string } | { status: "pending"; detail: string } | { status: "failed"; detail: string };

/** A 1Mi RWX claim and two pods that each write a file and wait for the other's: both succeed only if they share the volume at the same time. */
export function rwxProbeObjects(storageClass: string, overrides: Record<string, string>): KubeObject[] {
  const claim = "devenv-probe-rwx";
  const pod = (me: string, peer: string): KubeObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `devenv-probe-rwx-${me}`, namespace: PROBE_NAMESPACE, labels: { "app.kubernetes.io/name": "devenv-probe-rwx" } },
    spec: {
      restartPolicy: "Never",
      containers: [
        {
          name: "probe",
          image: applyOverride(PROBE_IMAGE, overrides),
          command: ["sh", "-c", `echo ${me} > /data/${me}; for i in $(seq 1 90); do [ -f /data/${peer} ] && exit 0; sleep 1; done; echo "never saw /data/${peer}"; exit 1`],
          volumeMounts: [{ name: "data", mountPath: "/data" }],
        },
      ],
      volumes: [{ name: "data", persistentVolumeClaim: { claimName: claim } }],
    },
  });
  return [
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: claim, namespace: PROBE_NAMESPACE },
      spec: { accessModes: ["ReadWriteMany"], storageClassName: storageClass, resources: { requests: { storage: "1Mi" } } },
    },
    pod("a", "b"),
    pod("b", "a"),
  ];
}

/** RWX verdict from the two pods' phases. */
export function rwxVerdict(pods: { name: string; phase?: string }[]): Verdict {
  const failed = pods.filter((p) => p.phase === "Failed");
  if (failed.length > 0) return { status: "failed", detail: `${failed.map((p) => p.name).join(", ")} failed: the pods did not share the volume` };
  if (pods.length === 2 && pods.every((p) => p.phase === "Succeeded")) return { status: "ok", detail: "two pods shared a ReadWriteMany volume" };
  return { status: "pending", detail: pods.map((p) => `${p.name}: ${p.phase ?? "not created"}`).join(", ") };
}

/** Metrics verdict from `GET /apis/metrics.k8s.io/v1beta1/nodes`. */
export function metricsVerdict(body: unknown): Verdict {
  const items = (body as { items?: { metadata?: { name?: string }; usage?: { cpu?: string; memory?: string } }[] } | undefined)?.items ?? [];
  if (items.length === 0) return { status: "pending", detail: "no node metrics yet" };
  const missing = items.filter((i) => !i.usage?.cpu || !i.usage?.memory);
  if (missing.length > 0) return { status: "pending", detail: `no usage yet for ${missing.map((i) => i.metadata?.name).join(", ")}` };
  return { status: "ok", detail: items.map((i) => `${i.metadata?.name}: cpu ${i.usage!.cpu}, memory ${i.usage!.memory}`).join("; ") };
}

/** Ingress verdict from a GET on localhost: any HTTP answer from nginx means the controller listens there. */
export function ingressVerdict(r: { status?: number; server?: string | null; error?: string }): Verdict {
  if (r.status === undefined) return { status: "pending", detail: r.error ?? "no answer" };
  if (!/nginx/i.test(r.server ?? "")) return { status: "failed", detail: `something other than ingress-nginx answered (HTTP ${r.status}, server "${r.server ?? ""}")` };
  return { status: "ok", detail: `ingress-nginx answered HTTP ${r.status}` };
}

/** Polls `sample` until its verdict is ok (returns it) or failed / timed out (throws). */
export async function pollVerdict(what: string, sample: () => Promise<Verdict>, timeoutMs: number, intervalMs = 2000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: Verdict = { status: "pending", detail: "not checked yet" };
  while (Date.now() < deadline) {
    last = await sample().catch((e: unknown): Verdict => ({ status: "pending", detail: e instanceof Error ? e.message : String(e) }));
    if (last.status === "ok") return last.detail;
    if (last.status === "failed") break;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new DevenvError(`addon probe failed: ${what}: ${last.detail}`, { hint: "`devenv status` and `kubectl get pods -A` show what is not running; `devenv doctor` checks the machine" });
}

/** Runs the RWX probe with already-applied probe objects, then deletes the pods and claim. */
export async function sampleRwx(kc: KubeConfig): Promise<Verdict> {
  const { CoreV1Api } = await import("@kubernetes/client-node");
  const api = kc.makeApiClient(CoreV1Api);
  const pods = await Promise.all(
    ["a", "b"].map(async (x) => {
      const name = `devenv-probe-rwx-${x}`;
      const p = await api.readNamespacedPod({ name, namespace: PROBE_NAMESPACE }).catch(() => undefined);
      return { name, phase: p ? (p.status?.phase ?? "Pending") : undefined };
    }),
  );
  return rwxVerdict(pods);
}

/** Deletes the RWX probe's pods and claim. */
export async function cleanupRwx(kc: KubeConfig): Promise<void> {
  const { CoreV1Api } = await import("@kubernetes/client-node");
  const api = kc.makeApiClient(CoreV1Api);
  const ignore = () => undefined;
  await Promise.all(["a", "b"].map((x) => api.deleteNamespacedPod({ name: `devenv-probe-rwx-${x}`, namespace: PROBE_NAMESPACE }).catch(ignore)));
  await api.deleteNamespacedPersistentVolumeClaim({ name: "devenv-probe-rwx", namespace: PROBE_NAMESPACE }).catch(ignore);
}

/** One metrics read, like `kubectl top nodes`. */
export async function sampleMetrics(kc: KubeConfig): Promise<Verdict> {
  const { CustomObjectsApi } = await import("@kubernetes/client-node");
  const body = await kc.makeApiClient(CustomObjectsApi).listClusterCustomObject({ group: "metrics.k8s.io", version: "v1beta1", plural: "nodes" });
  return metricsVerdict(body);
}

/** One GET on http://localhost:<port>/. */
export async function sampleIngress(port: number): Promise<Verdict> {
  try {
    const r = await fetch(`http://localhost:${port}/`, { signal: AbortSignal.timeout(3000) });
    return ingressVerdict({ status: r.status, server: r.headers.get("server") });
  } catch (e) {
    return ingressVerdict({ error: e instanceof Error ? e.message : String(e) });
  }
}

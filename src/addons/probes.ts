// Probes that prove each addon works, not just that its pods are ready: an RWX volume two
// pods use at once, a metrics read through the aggregated API, and the ingress answering on
// localhost. Object generation and verdicts are pure (unit-tested); the runners need a real
// cluster, so they are verified on a laptop only (see docs/clusters.md).
import { applyOverride } from "../config/overrides.js";
import { DevenvError } from "../errors/devenv-error.js";
import type { KubeRest } from "../kube/rest.js";
import type { KubeObject } from "../model/index.js";
import { done, failed, notYet, waitFor } from "../wait/wait.js";
import { addonRelease } from "./lock.js";

/** Image of the RWX probe pods, from addons.lock.yaml (`probes`), so it is loaded from the host too. */
export const PROBE_IMAGE = addonRelease("probes").images[0]!;
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
      // On two nodes when there are two, so the probe proves the volume is shared across nodes
      // (a node-local directory would pass with both pods on one node).
      affinity: {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 100, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { "app.kubernetes.io/name": "devenv-probe-rwx" } } } },
          ],
        },
      },
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

/** Why the RWX volume may not work, per provider traits: the cause and the fix, for the probe's error. */
export function nfsMountAdvice(traits: { provider: string; kubeletNfsMount: boolean; rwx?: { via: string; nodePath?: string } }): { cause: string; hint: string } {
  if (traits.rwx?.via === "shared-path") {
    return {
      cause: `on ${traits.provider}, ReadWriteMany volumes are directories of ${traits.rwx.nodePath ?? "a shared path"}, which every node mounts from one host directory; the two probe pods did not see each other's file there`,
      hint: `a cluster created before devenv mounted that directory lacks it (\`docker inspect k3d-<name>-server-0\` lists the mounts): recreate it with \`devenv reset --cluster --yes\` then \`devenv up\`; \`kubectl -n devenv-nfs logs deploy/shared-path-provisioner\` shows the provisioner's side`,
    };
  }
  if (!traits.kubeletNfsMount) {
    return {
      cause: `${traits.provider} nodes (rancher/k3s images) carry no NFS mount helper, so the kubelet cannot mount the NFS volume (k3d#1109, k3d#1383)`,
      hint: "set addons.nfs.enabled: false in devenv.ts (claims then need ReadWriteOnce on local-path), or use cluster.provider \"kind\", whose nodes can mount NFS",
    };
  }
  return {
    cause: "the kubelet could not mount the NFS volume",
    hint: "`kubectl -n devenv-nfs describe pod devenv-probe-rwx-a` shows the mount error; `kubectl -n devenv-nfs logs statefulset/nfs-provisioner` the server's side",
  };
}

/** RWX verdict from the two pods' phases and the kubelet's FailedMount events for them. A mount
 *  failure is final where the nodes are known not to mount NFS (`mountFatal`); elsewhere the
 *  kubelet retries (the server may still be starting), so it is only said while pending. */
export function rwxVerdict(pods: { name: string; phase?: string }[], mountFailures: string[] = [], mountFatal = false): Verdict {
  const lastMount = mountFailures[mountFailures.length - 1];
  if (lastMount && mountFatal) return { status: "failed", detail: `mount failed: ${lastMount}` };
  const failed = pods.filter((p) => p.phase === "Failed");
  if (failed.length > 0) return { status: "failed", detail: `${failed.map((p) => p.name).join(", ")} failed: the pods did not share the volume` };
  if (pods.length === 2 && pods.every((p) => p.phase === "Succeeded")) return { status: "ok", detail: "two pods shared a ReadWriteMany volume" };
  return { status: "pending", detail: pods.map((p) => `${p.name}: ${p.phase ?? "not created"}`).join(", ") + (lastMount ? `; last mount failure: ${lastMount}` : "") };
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

const PROBE_HINT = "`devenv status` and `kubectl get pods -A` show what is not running; `devenv doctor` checks the machine";

/** Polls `sample` until its verdict is ok (returns it) or failed / timed out (throws); a sample that throws counts as pending. */
export async function pollVerdict(what: string, sample: () => Promise<Verdict>, timeoutMs: number, intervalMs = 2000, advice?: { cause: string; hint: string }): Promise<string> {
  const hint = advice?.hint ?? PROBE_HINT;
  return waitFor(
    what,
    async () => {
      const v = await sample().catch((e: unknown): Verdict => ({ status: "pending", detail: e instanceof Error ? e.message : String(e) }));
      if (v.status === "ok") return done(v.detail);
      if (v.status === "failed") return failed(v.detail, new DevenvError(`addon probe failed: ${what}: ${advice ? `${advice.cause}: ` : ""}${v.detail}`, { hint }));
      return notYet(v.detail);
    },
    { timeoutMs, intervalMs, hint: advice ? `${advice.cause}; ${hint}` : hint },
  );
}

/** Runs the RWX probe with already-applied probe objects, then deletes the pods and claim. */
export async function sampleRwx(rest: KubeRest, mountFatal = false): Promise<Verdict> {
  const pods = await Promise.all(
    ["a", "b"].map(async (x) => {
      const name = `devenv-probe-rwx-${x}`;
      const p = await rest.find<{ status?: { phase?: string } }>(`/api/v1/namespaces/${PROBE_NAMESPACE}/pods/${name}`).catch(() => undefined);
      return { name, phase: p ? (p.status?.phase ?? "Pending") : undefined };
    }),
  );
  return rwxVerdict(pods, await mountFailures(rest), mountFatal);
}

/** The kubelet's FailedMount event messages for the probe pods (none when events cannot be read). */
async function mountFailures(rest: KubeRest): Promise<string[]> {
  const selector = encodeURIComponent("involvedObject.kind=Pod,reason=FailedMount");
  const list = await rest.get<{ items?: { involvedObject?: { name?: string }; message?: string }[] }>(`/api/v1/namespaces/${PROBE_NAMESPACE}/events?fieldSelector=${selector}`).catch(() => undefined);
  return (list?.items ?? []).filter((e) => e.involvedObject?.name?.startsWith("devenv-probe-rwx-") && e.message).map((e) => e.message!);
}

/** Deletes the RWX probe's pods and claim. */
export async function cleanupRwx(rest: KubeRest): Promise<void> {
  const ignore = () => undefined;
  await Promise.all(["a", "b"].map((x) => rest.delete(`/api/v1/namespaces/${PROBE_NAMESPACE}/pods/devenv-probe-rwx-${x}`).catch(ignore)));
  await rest.delete(`/api/v1/namespaces/${PROBE_NAMESPACE}/persistentvolumeclaims/devenv-probe-rwx`).catch(ignore);
}

/** One metrics read, like `kubectl top nodes`. */
export async function sampleMetrics(rest: KubeRest): Promise<Verdict> {
  return metricsVerdict(await rest.get("/apis/metrics.k8s.io/v1beta1/nodes"));
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

// Turns transport failures and metav1.Status answers into DevenvErrors that say what the
// cluster said and what to do about it.
import { DevenvError } from "../errors/devenv-error.js";

/** A DevenvError that also carries the API server's Status. */
export class KubeApiError extends DevenvError {
  constructor(
    message: string,
    readonly status: { code?: number; reason?: string; message?: string; details?: { causes?: { field?: string; message?: string; reason?: string }[] } },
    hint?: string,
  ) {
    super(message, { hint });
  }
}

export function apiFailure(code: number, body: string, context: string): KubeApiError {
  let status: KubeApiError["status"];
  try {
    status = JSON.parse(body) as KubeApiError["status"];
  } catch {
    status = { code, message: body.trim() || `HTTP ${code}` };
  }
  status.code ??= code;
  if (code === 401) {
    return new KubeApiError(`the cluster rejected the credentials of kube context "${context}" (expired or revoked)`, status, `refresh them (kind: \`kind export kubeconfig --name <cluster>\`; k3d: \`k3d kubeconfig merge <cluster>\`; otherwise log in again), then check with \`kubectl --context ${context} get ns\``);
  }
  const terminating = code === 403 ? /in namespace (\S+) because it is being terminated/.exec(status.message ?? "") : null;
  if (terminating) return new KubeApiError(`the cluster refused: ${status.message}`, status, `namespace ${terminating[1]} is being deleted; wait for it to go, then run devenv up again`);
  // PersistentVolumeClaimResize admission: growing a claim whose StorageClass cannot expand.
  if (code === 403 && /must support resize/.test(status.message ?? "")) {
    return new KubeApiError(`the cluster refused to grow a PersistentVolumeClaim: ${status.message}`, status, "its StorageClass does not allow expansion (allowVolumeExpansion): keep the old size in the manifest, or delete the claim (its data goes) with `kubectl delete pvc <name>` and run `devenv up` again");
  }
  if (code === 403) return new KubeApiError(`the cluster refused: ${status.message}`, status, `kube context "${context}" lacks permission; devenv needs to create and patch objects in its namespace`);
  if (code === 422 && /spec is immutable after creation except resources\.requests|field can not be less than/.test(status.message ?? "")) {
    return new KubeApiError(`the cluster refused to change a PersistentVolumeClaim: ${status.message}`, status, "a claim's spec cannot change after creation, and its size can only grow: revert the change, or delete the claim (its data goes) with `kubectl delete pvc <name>` and run `devenv up` again");
  }
  return new KubeApiError(status.message ?? `HTTP ${code}`, status);
}

export function transportFailure(e: Error & { code?: string }, server: string, context: string): DevenvError {
  if (e.name === "AbortError") return new DevenvError("request aborted", { cause: e });
  return new DevenvError(`cannot reach the Kubernetes API at ${server} (kube context "${context}"): ${e.code ?? e.message}`, {
    hint: "is the cluster running? `devenv up` creates or starts it; `devenv doctor` checks Docker, the cluster and the context",
    cause: e,
  });
}

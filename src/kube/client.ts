// CONTRACT (issue #4 fills it): the client-node KubeConfig for a context.
import type { KubeConfig } from "@kubernetes/client-node";
import { DevenvError } from "../errors/devenv-error.js";

/** Loads the kubeconfig (KUBECONFIG or ~/.kube/config) and selects `context` when given. */
export async function loadKubeConfig(_context?: string): Promise<KubeConfig> {
  throw new DevenvError("loadKubeConfig: not implemented yet", { hint: "tracked in issue #4" });
}

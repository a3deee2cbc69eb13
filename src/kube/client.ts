// The client-node KubeConfig for a context, with errors that say which file and context.
import type { KubeConfig } from "@kubernetes/client-node";
import { DevenvError } from "../errors/devenv-error.js";

/** Where kubeconfig is read from, for messages. */
export function kubeconfigSource(): string {
  return process.env.KUBECONFIG || "~/.kube/config";
}

/** The context names in the kubeconfig (KUBECONFIG or ~/.kube/config); throws what client-node throws for an unreadable file. */
export async function kubeContexts(): Promise<string[]> {
  const { KubeConfig } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  kc.loadFromDefault();
  return kc.getContexts().map((c) => c.name);
}

/** Loads the kubeconfig (KUBECONFIG or ~/.kube/config) and selects `context` when given. */
export async function loadKubeConfig(context?: string): Promise<KubeConfig> {
  const { KubeConfig } = await import("@kubernetes/client-node");
  const kc = new KubeConfig();
  try {
    kc.loadFromDefault();
  } catch (e) {
    throw new DevenvError(`cannot read the kubeconfig ${kubeconfigSource()}: ${(e as Error).message}`, { hint: "fix or remove the file; `kubectl config view` shows what kubectl reads", cause: e });
  }
  if (context) {
    if (!kc.getContextObject(context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new DevenvError(`kube context "${context}" not found in ${kubeconfigSource()}`, {
        where: "cluster.context",
        hint: `known contexts: ${known.length ? known.join(", ") : "(none)"}. For kind/k3d, \`devenv up\` creates the context; for an existing cluster, fix cluster.context in devenv.ts`,
      });
    }
    kc.setCurrentContext(context);
  }
  if (!kc.getCurrentCluster()) {
    throw new DevenvError(`no current kube context in ${kubeconfigSource()}`, { hint: "set cluster.context in devenv.ts, or run `kubectl config use-context <name>`" });
  }
  return kc;
}

// `existing`: any kube context (a shared or remote cluster). devenv never creates or deletes it.
import { configError, DevenvError } from "../errors/devenv-error.js";
import type { ClusterConfig } from "../config/schema.js";
import { kubeContexts } from "../kube/client.js";
import type { ClusterProvider } from "./provider.js";
import { traitsOf } from "./traits.js";

export class ExistingProvider implements ClusterProvider {
  readonly provider = "existing" as const;
  readonly traits = traitsOf(this);
  readonly network = undefined;

  constructor(
    private readonly cluster: ClusterConfig,
    private readonly configFile: string,
  ) {}

  get name(): string {
    return this.context;
  }

  get context(): string {
    if (!this.cluster.context) {
      throw configError('cluster.provider is "existing" but cluster.context is not set', `${this.configFile} (cluster.context)`, "set cluster.context to a context from `kubectl config get-contexts -o name`");
    }
    return this.cluster.context;
  }

  config(): undefined {
    return undefined;
  }

  async ensureInstalled(): Promise<undefined> {
    return undefined;
  }

  async exists(): Promise<boolean> {
    const contexts = await kubeContexts();
    if (contexts.includes(this.context)) return true;
    throw configError(
      `kube context "${this.context}" is not in the kubeconfig`,
      `${this.configFile} (cluster.context)`,
      contexts.length > 0 ? `use one of: ${contexts.join(", ")}` : "the kubeconfig has no contexts; check KUBECONFIG or ~/.kube/config",
    );
  }

  async verify(): Promise<void> {}

  async preflight(): Promise<void> {}

  async create(): Promise<void> {
    throw new DevenvError("devenv does not create clusters for the `existing` provider", { hint: "create the cluster yourself, or use provider kind or k3d" });
  }

  async delete(): Promise<void> {
    throw new DevenvError(`devenv does not delete the existing cluster behind context "${this.context}"`, { hint: "delete it with the tool that created it; `devenv reset` (data only) works on it" });
  }

  async nodes(): Promise<string[]> {
    return [];
  }

  async stop(): Promise<void> {
    throw new DevenvError(`devenv does not stop the nodes of the existing cluster behind context "${this.context}"`, { hint: "use `devenv down` (scales the environment's workloads to zero) instead of --nodes" });
  }

  async start(): Promise<void> {}
}

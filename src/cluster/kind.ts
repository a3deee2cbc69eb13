// kind: a cluster of Docker containers named <name>-control-plane, <name>-worker...; context kind-<name>.
import { DevenvError } from "../errors/devenv-error.js";
import { run } from "../exec/runner.js";
import type { ClusterConfig } from "../config/schema.js";
import { kindConfigYaml } from "./kind-config.js";
import { checkReusedPorts, requireHostPortFree } from "./ports.js";
import type { ClusterProvider, GeneratedConfig } from "./provider.js";
import { stateDir, writeState } from "./state.js";
import { requireToolVersion } from "../exec/tool-version.js";
import { traitsOf } from "./traits.js";
import { setContainersRunning } from "./node-containers.js";


export class KindProvider implements ClusterProvider {
  readonly provider = "kind" as const;
  readonly traits = traitsOf(this);
  readonly network = "kind";

  constructor(
    private readonly cluster: ClusterConfig,
    private readonly root: string,
    private readonly configFile: string,
  ) {}

  get name(): string {
    return this.cluster.name;
  }

  get context(): string {
    return `kind-${this.cluster.name}`;
  }

  config(): GeneratedConfig {
    return { file: `${stateDir(this.root)}/kind-${this.name}.yaml`, yaml: kindConfigYaml(this.cluster, this.root) };
  }

  ensureInstalled(): Promise<string> {
    const { tool, versionArgs, min, installHint } = this.traits.cli!;
    return requireToolVersion(tool, versionArgs, min, installHint);
  }

  async exists(): Promise<boolean> {
    // "No kind clusters found." goes to stderr; stdout lists one name per line.
    const r = await run("kind", ["get", "clusters"]);
    return r.stdout.split("\n").some((l) => l.trim() === this.name);
  }

  verify(): Promise<void> {
    return checkReusedPorts(`kind cluster "${this.name}"`, `${this.name}-control-plane`, this.cluster.ports, this.configFile);
  }

  async preflight(): Promise<void> {
    await requireHostPortFree(this.cluster.ports.http, "cluster.ports.http", this.configFile);
    await requireHostPortFree(this.cluster.ports.https, "cluster.ports.https", this.configFile);
  }

  async create(): Promise<void> {
    const { yaml } = this.config();
    await writeState(this.root, `kind-${this.name}.yaml`, yaml);
    await run("kind", ["create", "cluster", "--name", this.name, "--config", "-"], {
      input: yaml,
      timeoutMs: 10 * 60_000,
      failHint: `the config is in .devenv/kind-${this.name}.yaml; \`devenv doctor\` checks ports, inotify limits and the Docker image store`,
    });
  }

  async delete(): Promise<void> {
    await run("kind", ["delete", "cluster", "--name", this.name]);
  }

  async nodes(): Promise<string[]> {
    const r = await run("kind", ["get", "nodes", "--name", this.name]);
    const nodes = r.stdout.split("\n").map((l) => l.trim()).filter(Boolean);
    if (nodes.length === 0) throw new DevenvError(`kind cluster "${this.name}" has no nodes`, { hint: "recreate it: `devenv reset --cluster --yes`" });
    return nodes;
  }

  async stop(): Promise<void> {
    await setContainersRunning(await this.nodes(), false);
  }

  async start(): Promise<void> {
    await setContainersRunning(await this.nodes(), true);
  }

  async restoreContext(): Promise<void> {
    await run("kind", this.traits.contextRestore!.args(this.name), { failHint: `the cluster exists but its context ${this.context} is not in the kubeconfig; recreate it with \`devenv reset --cluster --yes\`` });
  }
}

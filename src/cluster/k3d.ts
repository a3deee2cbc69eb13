// k3d: k3s in Docker; containers k3d-<name>-server-0, -agent-N and the -serverlb load balancer
// that publishes the ports; context k3d-<name>.
import { DevenvError } from "../errors/devenv-error.js";
import { run } from "../exec/runner.js";
import type { ClusterConfig } from "../config/schema.js";
import { mkdir } from "node:fs/promises";
import { k3dConfigYaml, sharedRwxHostDir } from "./k3d-config.js";
import { checkReusedPorts, requireHostPortFree } from "./ports.js";
import type { ClusterProvider, GeneratedConfig } from "./provider.js";
import { stateDir, writeState } from "./state.js";
import { requireToolVersion } from "../exec/tool-version.js";
import { traitsOf } from "./traits.js";
import { disconnectRegistry } from "./registry.js";


/** What `k3d cluster list -o json` says about a cluster (the fields devenv reads). */
interface K3dCluster {
  name: string;
  serversCount?: number;
  serversRunning?: number;
  nodes?: { name: string; role: string }[];
}

/** Parses `k3d cluster list -o json`. Pure. */
export function parseK3dClusters(stdout: string): K3dCluster[] {
  try {
    const parsed: unknown = JSON.parse(stdout.trim() || "[]");
    return Array.isArray(parsed) ? (parsed as K3dCluster[]) : [];
  } catch (e) {
    throw new DevenvError("cannot parse the output of `k3d cluster list -o json`", { details: stdout.slice(0, 500), cause: e, hint: "check `k3d version` (devenv needs k3d 5.6 or newer)" });
  }
}

export class K3dProvider implements ClusterProvider {
  readonly provider = "k3d" as const;
  readonly traits = traitsOf(this);

  constructor(
    private readonly cluster: ClusterConfig,
    private readonly root: string,
    private readonly configFile: string,
  ) {}

  get name(): string {
    return this.cluster.name;
  }

  get context(): string {
    return `k3d-${this.cluster.name}`;
  }

  get network(): string {
    return `k3d-${this.cluster.name}`;
  }

  config(): GeneratedConfig {
    return { file: `${stateDir(this.root)}/k3d-${this.name}.yaml`, yaml: k3dConfigYaml(this.cluster, this.root) };
  }

  ensureInstalled(): Promise<string> {
    const { tool, versionArgs, min, installHint } = this.traits.cli!;
    return requireToolVersion(tool, versionArgs, min, installHint);
  }

  private async find(): Promise<K3dCluster | undefined> {
    const r = await run("k3d", ["cluster", "list", "-o", "json"]);
    return parseK3dClusters(r.stdout).find((c) => c.name === this.name);
  }

  async exists(): Promise<boolean> {
    return (await this.find()) !== undefined;
  }

  verify(): Promise<void> {
    return checkReusedPorts(`k3d cluster "${this.name}"`, `k3d-${this.name}-serverlb`, this.cluster.ports, this.configFile);
  }

  async preflight(): Promise<void> {
    await requireHostPortFree(this.cluster.ports.http, "cluster.ports.http", this.configFile);
    await requireHostPortFree(this.cluster.ports.https, "cluster.ports.https", this.configFile);
  }

  async create(): Promise<void> {
    // k3d wants a .yaml file path (it cannot read the config from stdin in every 5.x release).
    const file = await writeState(this.root, `k3d-${this.name}.yaml`, this.config().yaml);
    // k3d only warns about a missing volume source and Docker would create it root-owned.
    const shared = sharedRwxHostDir(this.cluster, this.root);
    if (shared) await mkdir(shared, { recursive: true });
    await run("k3d", ["cluster", "create", "--config", file], { timeoutMs: 10 * 60_000, failHint: `the config is in ${file}; \`devenv doctor\` checks ports and Docker` });
  }

  async delete(): Promise<void> {
    // k3d removes the cluster's network k3d-<name> only when nothing else is attached to it.
    await disconnectRegistry(this.cluster.registry, this.network);
    await run("k3d", ["cluster", "delete", this.name]);
  }

  async nodes(): Promise<string[]> {
    const c = await this.find();
    // The load balancer and tools nodes run no kubelet: images go to servers and agents only.
    return (c?.nodes ?? []).filter((n) => n.role === "server" || n.role === "agent").map((n) => n.name);
  }

  async stop(): Promise<void> {
    await run("k3d", ["cluster", "stop", this.name]);
  }

  async start(): Promise<void> {
    const c = await this.find();
    if (c && c.serversCount !== undefined && c.serversRunning !== undefined && c.serversRunning < c.serversCount) {
      await run("k3d", ["cluster", "start", this.name], { timeoutMs: 5 * 60_000 });
    }
  }

  async restoreContext(): Promise<void> {
    await run("k3d", this.traits.contextRestore!.args(this.name), { failHint: `the cluster exists but its context ${this.context} is not in the kubeconfig; recreate it with \`devenv reset --cluster --yes\`` });
  }
}

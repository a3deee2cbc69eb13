// An in-process Kubernetes API server for tests: real REST paths and Status errors, server-side
// apply with field managers, watches, and hooks that play kubelet and controllers.
// `startKubeApiServer()` → point client-node or real kubectl at `server.kubeconfig()`.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ResourceRegistry } from "./resources.js";
import { Store, type KObj } from "./store.js";
import { Controllers } from "./controllers.js";
import { Ops, type WriteRecord } from "./ops.js";
import { Hooks } from "./hooks.js";
import { route } from "./router.js";
import { PortForwards } from "./portforward.js";
import { PodExecs, type ExecHandler } from "./exec.js";

export type { WriteRecord, KObj };
export type { ExecCall, ExecHandler } from "./exec.js";

export class KubeApiServer extends Hooks {
  private readonly ops: Ops;

  /** How long a deleted namespace stays Terminating (the namespace controller's work); tests that must see it Terminating hold it longer. */
  get namespaceDeletionMs(): number {
    return this.ops.namespaceDeletionMs;
  }
  set namespaceDeletionMs(ms: number) {
    this.ops.namespaceDeletionMs = ms;
  }
  private readonly http: Server;
  private readonly closing = new Set<() => void>();
  /** Every request as `METHOD /path?query`, for debugging. */
  readonly requests: string[] = [];
  private expired = false;
  private readonly forwards = new PortForwards();
  private readonly execs = new PodExecs();

  /** Plays the containers for pod exec (`pods/exec`); without a handler every exec fails as "executable file not found". */
  onExec(handler: ExecHandler | undefined): void {
    this.execs.handler = handler;
  }

  /** Every exec so far as `pod/container: command`. */
  get execCalls(): string[] {
    return this.execs.calls;
  }

  private constructor() {
    const registry = new ResourceRegistry();
    const store = new Store();
    const controllers = new Controllers(store, registry);
    super(store, registry, controllers);
    this.ops = new Ops(store, registry, controllers);
    this.http = createServer((req, res) => {
      void route({ store, registry, ops: this.ops, hooks: this, closing: this.closing, address: () => `127.0.0.1:${this.port}`, requests: this.requests, credentialsExpired: () => this.expired }, req, res);
    });
  }

  /** Port-forwards to `ns/pod:podPort` (or every pod of `kind/name`) reach 127.0.0.1:hostPort. */
  forwardPort(ns: string, target: string, podPort: number, hostPort: number): void {
    for (const p of this.pods(ns, target)) this.forwards.targets.set(`${ns}/${p.metadata.name}/${podPort}`, hostPort);
  }

  /** From now on answer every port-forward upgrade with `code` (undefined: forward again). */
  refusePortForwards(code?: number, message = "error upgrading connection: unable to upgrade connection: pod does not exist"): void {
    this.forwards.refuse = code === undefined ? undefined : { code, message };
  }

  /** Starts on a free port of 127.0.0.1, with the `default` namespace (and kube-system) present. */
  static async start(): Promise<KubeApiServer> {
    const s = new KubeApiServer();
    s.http.on("upgrade", (req, socket, head) => {
      const podExists = (ns: string, pod: string) => Boolean(s.get("v1", "Pod", ns, pod));
      if (s.execs.upgrade(req, socket, head, (ns, pod) => s.get("v1", "Pod", ns, pod) as KObj | undefined)) return;
      if (!s.forwards.upgrade(req, socket, head, podExists)) socket.destroy();
    });
    await new Promise<void>((ok) => s.http.listen(0, "127.0.0.1", ok));
    for (const ns of ["default", "kube-system", "kube-public"]) s.put({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    return s;
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Mutating requests in order (create/update/patch/apply/delete), with whether each changed anything. */
  get writes(): WriteRecord[] {
    return this.ops.writes;
  }

  /** Only the writes that changed something. */
  changes(): WriteRecord[] {
    return this.ops.writes.filter((w) => w.changed);
  }

  /** From now on answer every request 401, as a server does for an expired token. */
  expireCredentials(expired = true): void {
    this.expired = expired;
  }

  clearWrites(): void {
    this.ops.writes.length = 0;
  }

  /** Writes a kubeconfig for this server (context `test`) and returns its path. */
  kubeconfig(file = join(mkdtempSync(join(tmpdir(), "kube-api-")), "config"), context = "test"): string {
    writeFileSync(
      file,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters:",
        `- name: ${context}`,
        "  cluster:",
        `    server: ${this.url}`,
        // client-node refuses plain http unless TLS verification is explicitly off.
        "    insecure-skip-tls-verify: true",
        "contexts:",
        `- name: ${context}`,
        "  context:",
        `    cluster: ${context}`,
        `    user: ${context}`,
        `current-context: ${context}`,
        "users:",
        `- name: ${context}`,
        "  user:",
        "    token: test-token",
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    return file;
  }

  /** Creates or replaces an object directly (not logged in `writes`), as if someone else made it. */
  put(obj: KObj, fieldManager = "kubectl-create"): KObj {
    const t = this.registry.byKind(obj.apiVersion, obj.kind);
    if (!t) throw new Error(`test API server: unknown kind ${obj.apiVersion} ${obj.kind}`);
    const ns = t.namespaced ? (obj.metadata.namespace ?? "default") : undefined;
    const exists = this.store.get(t, ns, obj.metadata.name);
    const out = exists ? this.ops.update(t, ns, obj.metadata.name, obj, { fieldManager }) : this.ops.create(t, ns, obj, { fieldManager });
    this.ops.writes.pop();
    return out;
  }

  /** The stored object (with managedFields), or undefined. */
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KObj | undefined {
    const t = this.registry.byKind(apiVersion, kind);
    const o = t && this.store.get(t, namespace, name);
    return o && t ? this.store.render(t, o) : undefined;
  }

  list(apiVersion: string, kind: string, namespace?: string): KObj[] {
    const t = this.registry.byKind(apiVersion, kind);
    return t ? this.store.list(t, namespace).map((o) => this.store.render(t, o)) : [];
  }

  async close(): Promise<void> {
    for (const stop of [...this.closing]) stop();
    this.forwards.close();
    this.http.closeAllConnections();
    await new Promise<void>((ok) => this.http.close(() => ok()));
  }
}

export const startKubeApiServer = () => KubeApiServer.start();

// devenv's one way to the Kubernetes API server: a small REST client over node:http(s) (and
// websockets for exec and port-forward, see exec.ts and port-forward.ts) that takes only its
// endpoint and credentials from a client-node KubeConfig. devenv sends objects as raw JSON
// because client-node's typed serializer drops fields it does not model (and renames CRD
// schema keys such as `x-kubernetes-preserve-unknown-fields`), which would silently change what
// is applied. Every request is said on the `devenv:kube` debug channel (never its body), names
// devenv in its User-Agent, and every write names the field manager `devenv` unless told otherwise.
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import type { ClientOptions, WebSocket } from "ws";
import { debugFor } from "../debug/index.js";
import { loadKubeConfig } from "./client.js";
import { apiFailure, transportFailure } from "./errors.js";
import { FIELD_MANAGER } from "./ownership.js";

const debug = debugFor("kube");

export type QueryValue = string | number | boolean | undefined | readonly string[];

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  contentType?: string;
  /** Abort (for watches and follows). */
  signal?: AbortSignal;
}

/** The body of a list answer; items carry no apiVersion/kind on a real server. */
export interface KubeList<T> {
  items: T[];
  metadata: { resourceVersion: string };
}

/** Patch flavours: server-side apply, JSON merge patch, strategic merge patch, JSON patch. */
export type PatchType = "apply" | "merge" | "strategic" | "json";

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  apply: "application/apply-patch+yaml",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  json: "application/json-patch+json",
};

const WRITES = new Set(["POST", "PUT", "PATCH"]);

let agent: string | undefined;

/** `devenv/<version>`, the version read from package.json once, on the first request. */
export function userAgent(): string {
  if (agent === undefined) {
    let version = "unknown";
    try {
      // src/kube/rest.ts and dist/kube/rest.js both sit two folders below package.json.
      version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string }).version ?? version;
    } catch {
      // a copy without its package.json: the name alone still says who is calling
    }
    agent = `devenv/${version}`;
  }
  return agent;
}

/** The debug line of a request: method, path and what the query says (never the body). */
function describeRequest(method: string, path: string, query: Record<string, QueryValue>, contentType?: string): string {
  const notes: string[] = [];
  const patch = method === "PATCH" ? Object.entries(PATCH_CONTENT_TYPES).find(([, t]) => t === contentType)?.[0] : undefined;
  if (patch) notes.push(patch);
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === false) continue;
    if (k === "fieldManager") notes.push(`fieldManager ${v}`);
    else if (v === true) notes.push(k);
    else notes.push(`${k}=${Array.isArray(v) ? v.join(" ") : String(v)}`);
  }
  return `${method} ${path}${notes.length ? ` (${notes.join(", ")})` : ""}`;
}

/** A watch event as the server streams it. */
export interface WatchEvent<T> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR" | string;
  object: T;
}

export interface WebSocketOptions {
  query?: Record<string, QueryValue>;
  /** Subprotocols offered, preferred first. */
  protocols: readonly string[];
  /** Attached before the connection opens, so the first frames are never missed. */
  onMessage(data: Buffer, isBinary: boolean, ws: WebSocket): void;
  /** Extra words for the debug line, e.g. the container and command of an exec. */
  note?: string | (() => string);
}

export interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

export class KubeRest {
  readonly server: string;
  readonly context: string;
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo> | undefined>>();

  constructor(readonly kc: KubeConfig) {
    this.server = kc.getCurrentCluster()?.server ?? "";
    this.context = kc.getCurrentContext();
  }

  /** The client for kube context `context` (default: the kubeconfig's current one). */
  static async forContext(context?: string): Promise<KubeRest> {
    return new KubeRest(await loadKubeConfig(context));
  }

  private url(path: string, query: Record<string, QueryValue>): URL {
    const url = new URL(path, this.server.endsWith("/") ? this.server : `${this.server}/`);
    url.pathname = `${new URL(this.server).pathname.replace(/\/$/, "")}${path.split("?")[0]}`;
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined) continue;
      if (Array.isArray(v)) for (const x of v) url.searchParams.append(k, x);
      else url.searchParams.set(k, String(v));
    }
    return url;
  }

  private async open(method: string, path: string, o: RequestOptions): Promise<http.IncomingMessage> {
    const query = { ...o.query };
    if (WRITES.has(method) && query.fieldManager === undefined) query.fieldManager = FIELD_MANAGER;
    debug(describeRequest(method, path, query, o.contentType));
    const url = this.url(path, query);
    const opts: https.RequestOptions = { method, headers: { Accept: "application/json", "User-Agent": userAgent() }, signal: o.signal };
    await this.kc.applyToHTTPSOptions(opts);
    const body = o.body === undefined ? undefined : typeof o.body === "string" ? o.body : JSON.stringify(o.body);
    if (body !== undefined) Object.assign(opts.headers!, { "Content-Type": o.contentType ?? "application/json", "Content-Length": Buffer.byteLength(body) });
    const lib = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, opts, resolve);
      req.on("error", (e) => reject(transportFailure(e, this.server, this.context)));
      req.end(body);
    });
  }

  /** A request whose JSON answer is returned; a non-2xx answer throws a DevenvError carrying the Status. */
  async request<T = any>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const res = await this.open(method, path, o);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    if ((res.statusCode ?? 500) >= 300) throw apiFailure(res.statusCode ?? 500, text, this.context);
    const type = String(res.headers["content-type"] ?? "");
    return (type.includes("json") ? JSON.parse(text) : text) as T;
  }

  /** GET of one object (or any JSON path). */
  get<T = any>(path: string, o: Omit<RequestOptions, "body" | "contentType"> = {}): Promise<T> {
    return this.request<T>("GET", path, o);
  }

  /** GET of a collection, optionally narrowed by label and field selectors. */
  list<T = any>(path: string, selectors: { labelSelector?: string; fieldSelector?: string } = {}, o: Omit<RequestOptions, "body" | "contentType"> = {}): Promise<KubeList<T>> {
    return this.request<KubeList<T>>("GET", path, { ...o, query: { ...o.query, ...selectors } });
  }

  /** POST of a new object to a collection path. */
  create<T = any>(path: string, body: unknown, query: Record<string, QueryValue> = {}): Promise<T> {
    return this.request<T>("POST", path, { body, query });
  }

  /** PATCH of an object (or subresource) in one of the four patch flavours; `force` only means something to apply. */
  patch<T = any>(path: string, body: unknown, type: PatchType, o: { fieldManager?: string; force?: boolean; dryRun?: boolean; fieldValidation?: "Strict" | "Warn" | "Ignore" } = {}): Promise<T> {
    const query = { fieldManager: o.fieldManager ?? FIELD_MANAGER, force: type === "apply" ? o.force : undefined, dryRun: o.dryRun ? "All" : undefined, fieldValidation: o.fieldValidation };
    return this.request<T>("PATCH", path, { body, contentType: PATCH_CONTENT_TYPES[type], query });
  }

  /** DELETE of an object, e.g. with `{ propagationPolicy: "Background" }`. */
  delete<T = any>(path: string, query: Record<string, QueryValue> = {}): Promise<T> {
    return this.request<T>("DELETE", path, { query });
  }

  /** The server's version (`GET /version`): `gitVersion` is e.g. `v1.33.1`. */
  version(): Promise<{ gitVersion: string; major?: string; minor?: string; platform?: string }> {
    return this.request("GET", "/version");
  }

  /** GET that answers undefined for a 404 (the object does not exist) and throws anything else. */
  async find<T = any>(path: string, o: RequestOptions = {}): Promise<T | undefined> {
    try {
      return await this.request<T>("GET", path, o);
    } catch (e) {
      if ((e as { status?: { code?: number } }).status?.code === 404) return undefined;
      throw e;
    }
  }

  /** A streaming GET (watch, log follow): calls `onLine` per line until the server or `signal` ends it. */
  async stream(path: string, o: RequestOptions, onLine: (line: string) => void): Promise<void> {
    const res = await this.open("GET", path, o);
    if ((res.statusCode ?? 500) >= 300) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      throw apiFailure(res.statusCode ?? 500, Buffer.concat(chunks).toString("utf8"), this.context);
    }
    let rest = "";
    try {
      for await (const c of res) {
        rest += (c as Buffer).toString("utf8");
        const lines = rest.split("\n");
        rest = lines.pop()!;
        for (const l of lines) onLine(l);
      }
    } catch (e) {
      if (!o.signal?.aborted) throw transportFailure(e as Error, this.server, this.context);
    }
    if (rest) onLine(rest);
  }

  /**
   * Watches collection `path` (narrowed by `query`: selectors) from `resourceVersion`, calling
   * `onEvent` per event and opening the watch again from the last version seen whenever the
   * server ends it, until `signal` aborts.
   */
  async watch<T = any>(path: string, query: Record<string, string>, resourceVersion: string, signal: AbortSignal, onEvent: (type: WatchEvent<T>["type"], object: T) => void): Promise<void> {
    let from = resourceVersion;
    while (!signal.aborted) {
      await this.stream(path, { query: { ...query, watch: "true", resourceVersion: from, timeoutSeconds: "30" }, signal }, (line) => {
        if (!line.trim()) return;
        const ev = JSON.parse(line) as WatchEvent<T>;
        const rv = (ev.object as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata?.resourceVersion;
        if (rv) from = String(rv);
        onEvent(ev.type, ev.object);
      }).catch((e) => {
        if (!signal.aborted) throw e;
      });
    }
  }

  /** A container's log, line by line (`follow` streams until the pod ends or `signal` aborts). */
  log(namespace: string, pod: string, o: { container?: string; tailLines?: number; previous?: boolean; follow?: boolean; signal?: AbortSignal }, onLine: (line: string) => void): Promise<void> {
    const query = { container: o.container, tailLines: o.tailLines, previous: o.previous || undefined, follow: o.follow || undefined };
    return this.stream(`/api/v1/namespaces/${namespace}/pods/${pod}/log`, { query, signal: o.signal }, onLine);
  }

  /**
   * A websocket to `path` (exec, port-forward) with the context's credentials and the offered
   * subprotocols; resolves once open, rejects with the server's Status when it refuses the upgrade.
   */
  async websocket(path: string, o: WebSocketOptions): Promise<WebSocket> {
    // The query stays out of the line: an exec's command is in it; `note` says what is safe to say.
    debug(() => `GET ${path} (websocket${o.note ? `, ${typeof o.note === "function" ? o.note() : o.note}` : ""})`);
    const { WebSocket } = await import("ws");
    const url = this.url(path, o.query ?? {});
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const opts: https.RequestOptions = { headers: { "User-Agent": userAgent() } };
    await this.kc.applyToHTTPSOptions(opts);
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, [...o.protocols], opts as ClientOptions);
      ws.on("message", (data: Buffer, isBinary: boolean) => o.onMessage(data, isBinary, ws));
      ws.on("unexpected-response", (_req, res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          reject(apiFailure(res.statusCode ?? 500, Buffer.concat(chunks).toString("utf8"), this.context));
          ws.terminate();
        });
      });
      ws.once("open", () => resolve(ws));
      // After the open an error only ends the connection ('close' follows); before it, it is the answer.
      ws.on("error", (e) => reject(transportFailure(e, this.server, this.context)));
    });
  }

  /** The REST resource of `apiVersion`/`kind`, from discovery; undefined when the server does not serve it. */
  async resource(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    let list = this.discovery.get(apiVersion);
    if (!list) {
      const path = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      list = this.request<{ resources: { name: string; kind: string; namespaced: boolean }[] }>("GET", path).then(
        (r) => new Map(r.resources.filter((x) => !x.name.includes("/")).map((x) => [x.kind, { plural: x.name, namespaced: x.namespaced }])),
        (e: { status?: { code?: number } }) => {
          if (e.status?.code === 404) return undefined;
          throw e;
        },
      );
      this.discovery.set(apiVersion, list);
    }
    const found = (await list)?.get(kind);
    // A CRD applied in this run registers new kinds: ask again once rather than trusting the cache.
    if (!found && (await list)) this.discovery.delete(apiVersion);
    return found;
  }

  /** `/apis/apps/v1/namespaces/ns/deployments[/name]`. */
  path(apiVersion: string, r: ResourceInfo, namespace: string | undefined, name?: string): string {
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = r.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? "default")}` : "";
    return `${base}${ns}/${r.plural}${name ? `/${encodeURIComponent(name)}` : ""}`;
  }
}

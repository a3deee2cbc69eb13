// A small REST client over node:http(s) that takes its endpoint and credentials from a
// client-node KubeConfig. devenv sends objects as raw JSON through it because client-node's
// typed serializer drops fields it does not model (and renames CRD schema keys such as
// `x-kubernetes-preserve-unknown-fields`), which would silently change what is applied.
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import { apiFailure, transportFailure } from "./errors.js";

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
  /** Abort (for watches and follows). */
  signal?: AbortSignal;
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

  private async open(method: string, path: string, o: RequestOptions): Promise<http.IncomingMessage> {
    const url = new URL(path, this.server.endsWith("/") ? this.server : `${this.server}/`);
    url.pathname = `${new URL(this.server).pathname.replace(/\/$/, "")}${path.split("?")[0]}`;
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const opts: https.RequestOptions = { method, headers: { Accept: "application/json" }, signal: o.signal };
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

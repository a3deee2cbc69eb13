// The HTTP surface: discovery paths, resource paths (`/api/v1/namespaces/ns/pods/x/log`,
// `/apis/apps/v1/deployments`...), verbs mapped to Ops, every failure a metav1.Status.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import type { ResourceRegistry, ResourceType } from "./resources.js";
import { ApiError, badRequest, notFound, pathNotFound } from "./status.js";
import { matches, parseSelector, selectableFields } from "./selectors.js";
import { apiGroup, apiGroupList, apiResourceList, apiVersions, openApiV3GroupVersion, openApiV3Root, version } from "./discovery.js";
import { jsonPatch, mergePatch, strategicMergePatch } from "./patch.js";
import { serveWatch } from "./watch.js";
import type { Ops, WriteOptions } from "./ops.js";
import type { Hooks } from "./hooks.js";
import type { KObj, Store } from "./store.js";

export interface RouterDeps {
  store: Store;
  registry: ResourceRegistry;
  ops: Ops;
  hooks: Hooks;
  /** Watches and log follows to end when the server closes. */
  closing: Set<() => void>;
  address(): string;
  /** Every request, for debugging tests: `GET /api/v1/...`. */
  requests: string[];
  /** When true every request is 401 Unauthorized, like expired credentials. */
  credentialsExpired(): boolean;
}

const json = (res: ServerResponse, code: number, body: unknown) => {
  res.writeHead(code, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(text: string): any {
  try {
    return parseYaml(text);
  } catch (e) {
    throw badRequest(`error decoding request body: ${(e as Error).message.split("\n")[0]}`);
  }
}

interface Target {
  t: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  watch: boolean;
}

/** Resolves `/api/v1/...` or `/apis/g/v/...` into a resource target; undefined for discovery paths. */
function resolve(registry: ResourceRegistry, segs: string[]): Target | "discovery" {
  let group: string, ver: string, rest: string[];
  if (segs[0] === "api") [group, ver, rest] = ["", segs[1]!, segs.slice(2)];
  else if (segs[0] === "apis") [group, ver, rest] = [segs[1]!, segs[2]!, segs.slice(3)];
  else throw pathNotFound();
  if (!ver || rest.length === 0) return "discovery";
  let watch = false;
  if (rest[0] === "watch") [watch, rest] = [true, rest.slice(1)];
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length >= 3 && registry.byPlural(group, ver, rest[2]!)?.namespaced) [namespace, rest] = [rest[1], rest.slice(2)];
  const t = registry.byPlural(group, ver, rest[0]!);
  if (!t || rest.length > 3) throw pathNotFound();
  return { t, namespace, name: rest[1], subresource: rest[2], watch };
}

export async function route(deps: RouterDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const q = url.searchParams;
  const segs = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  deps.requests.push(`${req.method} ${url.pathname}${url.search}`);
  try {
    if (deps.credentialsExpired()) throw new ApiError(401, "Unauthorized", "Unauthorized");
    const p = url.pathname.replace(/\/$/, "");
    if (p === "/version") return json(res, 200, version());
    if (["/healthz", "/readyz", "/livez"].includes(p)) return void res.end("ok");
    if (p === "/api") return json(res, 200, apiVersions(deps.address()));
    if (p === "/apis") return json(res, 200, apiGroupList(deps.registry));
    if (p === "/openapi/v3") return json(res, 200, openApiV3Root(deps.registry));
    if (p.startsWith("/openapi/v3/")) {
      const doc = segs[2] === "api" ? openApiV3GroupVersion(deps.registry, "", segs[3]!) : openApiV3GroupVersion(deps.registry, segs[3]!, segs[4]!);
      if (!doc) throw pathNotFound();
      return json(res, 200, doc);
    }
    if (p === "/openapi/v2") {
      // An empty protobuf OpenAPI v2 document: kubectl falls back to it for kinds the v3 index
      // lacks, finds no schema, and goes on to report the unknown kind as the real one does.
      res.writeHead(200, { "Content-Type": "application/octet-stream" });
      return void res.end();
    }
    if (p.startsWith("/openapi")) throw pathNotFound();
    const target = resolve(deps.registry, segs);
    if (target === "discovery") {
      const doc = segs[0] === "api" ? apiResourceList(deps.registry, "", segs[1]!) : segs.length === 2 ? apiGroup(deps.registry, segs[1]!) : apiResourceList(deps.registry, segs[1]!, segs[2]!);
      if (!doc) throw pathNotFound();
      return json(res, 200, doc);
    }
    await resource(deps, target, req, res, q);
  } catch (e) {
    if (e instanceof ApiError) return json(res, e.code, e.toStatus());
    json(res, 500, new ApiError(500, "InternalError", `test API server: ${(e as Error).stack ?? String(e)}`).toStatus());
  }
}

async function resource(deps: RouterDeps, target: Target, req: IncomingMessage, res: ServerResponse, q: URLSearchParams): Promise<void> {
  const { t, namespace, name, subresource } = target;
  const { store, ops, registry } = deps;
  // Like the real server, a write without fieldManager is attributed to the user agent's program name.
  const agent = (req.headers["user-agent"] ?? "unknown").split("/")[0]!.slice(0, 128);
  const opts: WriteOptions = { fieldManager: q.get("fieldManager") ?? (req.method === "PATCH" && String(req.headers["content-type"]).startsWith("application/apply-patch") ? undefined : agent), force: q.get("force") === "true", dryRun: q.get("dryRun") === "All", subresource, fieldValidation: q.get("fieldValidation") ?? undefined, propagationPolicy: q.get("propagationPolicy") ?? undefined };
  const scalable = t.group === "apps" && t.kind !== "DaemonSet";
  if (subresource && subresource !== "status" && !(subresource === "log" && t.kind === "Pod") && !(subresource === "scale" && scalable)) throw pathNotFound();
  if (subresource === "status" && !t.status) throw pathNotFound();
  const method = req.method ?? "GET";
  if (!name) {
    const isWatch = target.watch || q.get("watch") === "true" || q.get("watch") === "1";
    if (method === "GET" && isWatch) {
      const timeout = q.get("timeoutSeconds");
      return serveWatch(store, t, { namespace, labelSelector: q.get("labelSelector"), fieldSelector: q.get("fieldSelector"), resourceVersion: q.get("resourceVersion"), timeoutSeconds: timeout ? Number(timeout) : undefined }, req, res, deps.closing);
    }
    if (method === "GET") {
      const labels = parseSelector(q.get("labelSelector"));
      const fields = parseSelector(q.get("fieldSelector"));
      const items = store.list(t, namespace).filter((o) => matches(labels, o.metadata.labels ?? {}) && matches(fields, selectableFields(o)));
      return json(res, 200, { kind: `${t.kind}List`, apiVersion: registry.apiVersionOf(t), metadata: { resourceVersion: String(store.currentRv()) }, items: items.map((o) => listItem(store.render(t, o))) });
    }
    if (method === "POST") return json(res, 201, ops.create(t, namespace, parseBody(await readBody(req)), opts));
    throw new ApiError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource`);
  }
  if (t.namespaced && !namespace) throw pathNotFound();
  if (subresource === "log") return podLog(deps, namespace!, name, q, req, res);
  if (subresource === "scale") return scale(deps, t, namespace!, name, opts, req, res);
  const body = method === "GET" || method === "DELETE" ? undefined : await readBody(req);
  switch (method) {
    case "GET": {
      const o = store.get(t, namespace, name);
      if (!o) throw notFound(t, name);
      return json(res, 200, store.render(t, o));
    }
    case "PUT":
      return json(res, 200, ops.update(t, namespace, name, parseBody(body!), opts));
    case "PATCH": {
      const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
      if (type === "application/apply-patch+yaml") {
        const existed = Boolean(store.get(t, namespace, name));
        return json(res, existed ? 200 : 201, ops.apply(t, namespace, name, parseBody(body!), opts));
      }
      const live = store.get(t, namespace, name);
      if (!live) throw notFound(t, name);
      const patch = parseBody(body!);
      const next =
        type === "application/merge-patch+json"
          ? mergePatch(live, patch)
          : type === "application/strategic-merge-patch+json"
            ? strategicMergePatch(live, patch)
            : type === "application/json-patch+json"
              ? jsonPatch(live, patch)
              : undefined;
      if (next === undefined) throw new ApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
      (next as KObj).metadata.resourceVersion = undefined;
      return json(res, 200, ops.update(t, namespace, name, next as KObj, opts, "patch"));
    }
    case "DELETE": {
      const gone = ops.delete(t, namespace, name, opts);
      return json(res, 200, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name, ...(t.group ? { group: t.group } : {}), kind: t.plural, uid: gone.metadata.uid } });
    }
  }
  throw new ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
}

function podLog(deps: RouterDeps, ns: string, pod: string, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): void {
  const podType = deps.registry.byKind("v1", "Pod")!;
  if (!deps.store.get(podType, ns, pod)) throw notFound(podType, pod);
  const key = `${ns}/${pod}`;
  const all = deps.hooks.logs.get(key) ?? [];
  const tail = q.get("tailLines");
  const lines = tail ? all.slice(-Number(tail)) : all;
  res.writeHead(200, { "Content-Type": "text/plain" });
  for (const l of lines) res.write(`${l}\n`);
  if (q.get("follow") !== "true") return void res.end();
  const onLine = (k: string, line: string) => k === key && res.write(`${line}\n`);
  deps.hooks.logAppended.on("line", onLine);
  const stop = () => {
    deps.hooks.logAppended.off("line", onLine);
    deps.closing.delete(stop);
    res.end();
  };
  deps.closing.add(stop);
  req.on("close", stop);
}

/** `/scale` of Deployments, StatefulSets and ReplicaSets: an autoscaling/v1 Scale over spec.replicas. */
async function scale(deps: RouterDeps, t: ResourceType, ns: string, name: string, opts: WriteOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const live = deps.store.get(t, ns, name);
  if (!live) throw notFound(t, name);
  const asScale = (o: KObj) => ({
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name, namespace: ns, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: o.spec?.replicas ?? 1 },
    status: { replicas: o.status?.replicas ?? 0, selector: Object.entries(o.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(",") },
  });
  if (req.method === "GET") return json(res, 200, asScale(live));
  const body = parseBody(await readBody(req));
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim();
  const next = req.method === "PUT" ? body : type === "application/json-patch+json" ? jsonPatch(asScale(live), body) : mergePatch(asScale(live), body);
  const replicas = (next as { spec?: { replicas?: number } }).spec?.replicas;
  if (typeof replicas !== "number") throw badRequest("spec.replicas must be a number");
  const updated = deps.ops.update(t, ns, name, { ...live, spec: { ...live.spec, replicas }, metadata: { ...live.metadata, resourceVersion: undefined } }, { ...opts, subresource: undefined }, "patch");
  json(res, 200, asScale(updated));
}

/** Like the real server, items of a typed list carry no apiVersion/kind (the list has them). */
function listItem(o: KObj): KObj {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest as KObj;
}

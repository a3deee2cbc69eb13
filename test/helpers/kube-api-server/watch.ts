// `watch=true`: newline-delimited WatchEvents, replayed from a resourceVersion (or the
// current objects as ADDED when none is given), filtered by namespace and selectors.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResourceType } from "./resources.js";
import { matches, parseSelector, selectableFields } from "./selectors.js";
import { typeKeyOf, type KObj, type Store, type WatchEvent } from "./store.js";

export interface WatchQuery {
  namespace?: string;
  labelSelector?: string | null;
  fieldSelector?: string | null;
  resourceVersion?: string | null;
  timeoutSeconds?: number;
}

export function serveWatch(store: Store, t: ResourceType, q: WatchQuery, req: IncomingMessage, res: ServerResponse, closing: Set<() => void>): void {
  const labels = parseSelector(q.labelSelector);
  const fields = parseSelector(q.fieldSelector);
  const wanted = (o: KObj) => (q.namespace === undefined || o.metadata.namespace === q.namespace) && matches(labels, o.metadata.labels ?? {}) && matches(fields, selectableFields(o));
  const typeKey = typeKeyOf(t);
  res.writeHead(200, { "Content-Type": "application/json", "Transfer-Encoding": "chunked", "Cache-Control": "no-cache" });
  res.flushHeaders();
  const send = (e: Pick<WatchEvent, "type" | "object">) => res.write(`${JSON.stringify({ type: e.type, object: e.object })}\n`);
  const rv = q.resourceVersion && q.resourceVersion !== "0" ? Number(q.resourceVersion) : undefined;
  const backlog = rv === undefined ? store.list(t, q.namespace).map((o) => ({ type: "ADDED" as const, object: o })) : store.since(typeKey, rv);
  for (const e of backlog) if (wanted(e.object)) send(e);
  const onEvent = (e: WatchEvent) => {
    if (e.typeKey === typeKey && wanted(e.object)) send(e);
  };
  store.events.on("event", onEvent);
  const stop = () => {
    store.events.off("event", onEvent);
    clearTimeout(timer);
    closing.delete(stop);
    res.end();
  };
  const timer = setTimeout(stop, (q.timeoutSeconds ?? 1800) * 1000);
  closing.add(stop);
  req.on("close", stop);
}

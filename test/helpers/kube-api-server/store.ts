// Objects by type/namespace/name, one resourceVersion counter, the event history that
// watches replay from, and who manages which fields.
import { EventEmitter } from "node:events";
import { randomUUID } from "node:crypto";
import type { ResourceType } from "./resources.js";
import { clone, encodeFieldsV1 } from "./fields.js";

export type KObj = Record<string, any> & { metadata: Record<string, any> };

export interface WatchEvent {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK";
  object: KObj;
  rv: number;
  typeKey: string;
}

/** One manager's ownership, rendered as a managedFields entry. */
export interface Manager {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  fields: Set<string>;
  time: string;
  subresource?: string;
}

export const typeKeyOf = (t: ResourceType) => `${t.group}/${t.plural}`;
const objKey = (t: ResourceType, ns: string | undefined, name: string) => `${typeKeyOf(t)}/${ns ?? ""}/${name}`;

export class Store {
  private readonly objects = new Map<string, KObj>();
  private readonly managers = new Map<string, Manager[]>();
  private readonly history: WatchEvent[] = [];
  readonly events = new EventEmitter();
  private rv = 1000;

  constructor() {
    this.events.setMaxListeners(0);
  }

  currentRv(): number {
    return this.rv;
  }

  get(t: ResourceType, ns: string | undefined, name: string): KObj | undefined {
    const o = this.objects.get(objKey(t, t.namespaced ? ns : undefined, name));
    return o ? clone(o) : undefined;
  }

  list(t: ResourceType, ns?: string): KObj[] {
    const prefix = `${typeKeyOf(t)}/`;
    const out: KObj[] = [];
    for (const [k, o] of this.objects) {
      if (k.startsWith(prefix) && (ns === undefined || o.metadata.namespace === ns)) out.push(clone(o));
    }
    return out.sort((a, b) => `${a.metadata.namespace ?? ""}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace ?? ""}/${b.metadata.name}`));
  }

  /** Stores `obj` as a new version: bumps resourceVersion, fills uid/creationTimestamp, emits the event. */
  save(t: ResourceType, obj: KObj, managers?: Manager[]): KObj {
    const key = objKey(t, obj.metadata.namespace, obj.metadata.name);
    const existed = this.objects.has(key);
    const stored = clone(obj);
    delete stored.metadata.managedFields;
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, "Z");
    stored.metadata.resourceVersion = String(++this.rv);
    this.objects.set(key, stored);
    if (managers) this.managers.set(key, managers);
    const out = this.render(t, stored);
    this.emit({ type: existed ? "MODIFIED" : "ADDED", object: out, rv: this.rv, typeKey: typeKeyOf(t) });
    return out;
  }

  remove(t: ResourceType, ns: string | undefined, name: string): KObj | undefined {
    const key = objKey(t, t.namespaced ? ns : undefined, name);
    const o = this.objects.get(key);
    if (!o) return undefined;
    const out = this.render(t, o);
    this.objects.delete(key);
    this.managers.delete(key);
    out.metadata.resourceVersion = String(++this.rv);
    this.emit({ type: "DELETED", object: out, rv: this.rv, typeKey: typeKeyOf(t) });
    return out;
  }

  managersOf(t: ResourceType, ns: string | undefined, name: string): Manager[] {
    return (this.managers.get(objKey(t, t.namespaced ? ns : undefined, name)) ?? []).map((m) => ({ ...m, fields: new Set(m.fields) }));
  }

  /** The object as a client sees it: with managedFields. */
  render(t: ResourceType, obj: KObj): KObj {
    const out = clone(obj);
    const ms = this.managers.get(objKey(t, obj.metadata.namespace, obj.metadata.name)) ?? [];
    const entries = ms
      .filter((m) => m.fields.size > 0)
      .map((m) => ({
        manager: m.manager,
        operation: m.operation,
        apiVersion: m.apiVersion,
        time: m.time,
        fieldsType: "FieldsV1",
        fieldsV1: encodeFieldsV1(m.fields),
        ...(m.subresource ? { subresource: m.subresource } : {}),
      }));
    if (entries.length) out.metadata.managedFields = entries;
    return out;
  }

  /** Events after `rv` for a type, for a watch that starts from a resourceVersion. */
  since(typeKey: string, rv: number): WatchEvent[] {
    return this.history.filter((e) => e.typeKey === typeKey && e.rv > rv);
  }

  private emit(e: WatchEvent): void {
    this.history.push(e);
    this.events.emit("event", e);
  }
}

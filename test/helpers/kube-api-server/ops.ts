// Create, update, patch, server-side apply and delete, with field ownership kept per
// manager the way the real server's field manager keeps it.
import type { ResourceRegistry, ResourceType } from "./resources.js";
import { ApiError, alreadyExists, applyConflict, badRequest, conflictRv, namespaceTerminating, notFound } from "./status.js";
import { clone, deepEqual, describePath, fieldSet, pathFromKey, removeAt, structuredMerge, valueAt } from "./fields.js";
import { validate, validateUpdate } from "./validate.js";
import { applyDefaults, type Controllers } from "./controllers.js";
import { checkFields, normalizeOnWrite } from "./normalize.js";
import type { KObj, Manager, Store } from "./store.js";

/** A mutating request as the test sees it: what was asked, and whether anything changed. */
export interface WriteRecord {
  verb: "create" | "update" | "patch" | "apply" | "delete";
  kind: string;
  namespace?: string;
  name: string;
  fieldManager?: string;
  subresource?: string;
  /** False when the server found nothing to change (a no-op apply). */
  changed: boolean;
}

export interface WriteOptions {
  fieldManager?: string;
  force?: boolean;
  dryRun?: boolean;
  subresource?: string;
  /** `fieldValidation` of the request: `Strict` refuses unknown fields. */
  fieldValidation?: string;
  /** DELETE's `propagationPolicy`: `Orphan` leaves the dependents, without their owner reference. */
  propagationPolicy?: string;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");

export class Ops {
  readonly writes: WriteRecord[] = [];

  constructor(
    private readonly store: Store,
    private readonly registry: ResourceRegistry,
    private readonly controllers: Controllers,
  ) {}

  /**
   * A namespaced create needs its namespace, and one that is not being deleted: the
   * NamespaceLifecycle admission plugin refuses new content in a Terminating namespace.
   */
  private requireNamespace(t: ResourceType, ns: string | undefined, name?: string): void {
    if (!t.namespaced) return;
    const nsType = this.registry.byKind("v1", "Namespace")!;
    const live = ns ? this.store.get(nsType, undefined, ns) : undefined;
    if (!ns || !live) throw notFound(nsType, ns ?? "");
    if (live.status?.phase === "Terminating") throw namespaceTerminating(t, ns, name ?? "");
  }

  /** How long a deleted namespace stays Terminating before the namespace controller has emptied and removed it. */
  namespaceDeletionMs = 50;

  private checkBody(t: ResourceType, ns: string | undefined, body: KObj, name?: string, o?: WriteOptions, verb: "apply" | "create" | "update" = "update"): KObj {
    if (!body || typeof body !== "object" || !body.metadata) throw badRequest("Object 'metadata' is missing in the request body");
    const obj = clone(body);
    const want = this.registry.apiVersionOf(t);
    if (obj.kind && obj.kind !== t.kind) throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
    obj.apiVersion = want;
    obj.kind = t.kind;
    if (t.namespaced) {
      if (obj.metadata.namespace && obj.metadata.namespace !== ns) throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
      obj.metadata.namespace = ns;
    } else delete obj.metadata.namespace;
    if (name && obj.metadata.name && obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    if (name) obj.metadata.name = name;
    delete obj.metadata.managedFields;
    checkFields(t, want, obj, o?.fieldValidation === "Strict", verb);
    normalizeOnWrite(t, obj);
    return obj;
  }

  private record(r: WriteRecord): void {
    this.writes.push(r);
  }

  create(t: ResourceType, ns: string | undefined, body: KObj, o: WriteOptions): KObj {
    const obj = this.checkBody(t, ns, body, undefined, o, "create");
    this.requireNamespace(t, ns, obj.metadata.name);
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = `${obj.metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
    if (obj.metadata.name && this.store.get(t, ns, obj.metadata.name)) throw alreadyExists(t, obj.metadata.name);
    validate(t, obj);
    applyDefaults(t, obj, undefined);
    if (t.status && t.kind !== "Namespace" && t.kind !== "CustomResourceDefinition" && t.kind !== "PersistentVolumeClaim") delete obj.status;
    this.record({ verb: "create", kind: t.kind, namespace: ns, name: obj.metadata.name, fieldManager: o.fieldManager, changed: !o.dryRun });
    if (o.dryRun) return obj;
    const saved = this.store.save(t, obj, [{ manager: o.fieldManager ?? "unknown", operation: "Update", apiVersion: obj.apiVersion, fields: fieldSet(obj), time: now() }]);
    this.controllers.afterWrite(t, saved);
    return saved;
  }

  /** Live objects by apiVersion/kind/name, for admission that reads other objects (PVC resize reads the StorageClass). */
  private readonly lookup = (apiVersion: string, kind: string, name: string, ns?: string): KObj | undefined => {
    const type = this.registry.byKind(apiVersion, kind);
    return type ? this.store.get(type, ns, name) : undefined;
  };

  /** PUT, and the tail of every non-apply patch: stores `next` as the new version of `live`. */
  update(t: ResourceType, ns: string | undefined, name: string, body: KObj, o: WriteOptions, verb: "update" | "patch" = "update"): KObj {
    const live = this.store.get(t, ns, name);
    if (!live) throw notFound(t, name);
    const next = this.checkBody(t, ns, body, name, o, "update");
    if (next.metadata.resourceVersion && next.metadata.resourceVersion !== live.metadata.resourceVersion) throw conflictRv(t, name);
    if (o.subresource === "status") {
      const withStatus = clone(live);
      withStatus.status = next.status;
      return this.commit(t, live, withStatus, this.updateOwnership(t, live, withStatus, o), o, verb);
    }
    if (t.status) next.status = live.status;
    validate(t, next);
    applyDefaults(t, next, live);
    validateUpdate(t, live, next, this.lookup);
    return this.commit(t, live, next, this.updateOwnership(t, live, next, o), o, verb);
  }

  /** Server-side apply: merge the configuration, own its fields, conflict with other owners. */
  apply(t: ResourceType, ns: string | undefined, name: string, body: KObj, o: WriteOptions): KObj {
    if (!o.fieldManager) throw badRequest("PATCH /apply requests require fieldManager");
    const config = this.checkBody(t, ns, body, name, o, "apply");
    if (config.metadata.resourceVersion) throw badRequest("metadata.resourceVersion: Invalid value: 0: must be empty for apply");
    delete config.metadata.uid;
    const live = this.store.get(t, ns, name);
    if (!live) this.requireNamespace(t, ns, name);
    const owned = fieldSet(config, t.status && o.subresource !== "status");
    const mine: Manager = { manager: o.fieldManager, operation: "Apply", apiVersion: config.apiVersion, fields: owned, time: now(), ...(o.subresource ? { subresource: o.subresource } : {}) };
    if (!live) {
      if (t.status && o.subresource !== "status") delete config.status;
      validate(t, config);
      applyDefaults(t, config, undefined);
      this.record({ verb: "apply", kind: t.kind, namespace: ns, name, fieldManager: o.fieldManager, changed: !o.dryRun });
      if (o.dryRun) return config;
      const saved = this.store.save(t, config, [mine]);
      this.controllers.afterWrite(t, saved);
      return saved;
    }
    const managers = this.store.managersOf(t, ns, name);
    const isMine = (m: Manager) => m.manager === o.fieldManager && m.operation === "Apply" && m.subresource === o.subresource;
    const previous = managers.find(isMine);
    const conflicts: { manager: string; apiVersion: string; field: string; key: string }[] = [];
    for (const key of owned) {
      const path = pathFromKey(key);
      if (path[path.length - 1]!.startsWith("k:")) continue;
      for (const m of managers) {
        if (isMine(m) || !m.fields.has(key)) continue;
        if (!deepEqual(valueAt(live, path), valueAt(config, path))) conflicts.push({ manager: m.manager, apiVersion: m.apiVersion, field: describePath(path), key });
      }
    }
    if (conflicts.length && !o.force) throw applyConflict(conflicts);
    let next = clone(live);
    const ownedByOthers = (key: string) => managers.some((m) => !isMine(m) && m.fields.has(key));
    const released = [...(previous?.fields ?? [])].filter((k) => !owned.has(k) && !ownedByOthers(k)).sort((a, b) => b.length - a.length);
    for (const key of released) removeAt(next, pathFromKey(key));
    const patch = clone(config);
    if (t.status && o.subresource !== "status") delete patch.status;
    next = structuredMerge(next, patch) as KObj;
    const nextManagers = managers
      .filter((m) => !isMine(m))
      .map((m) => ({ ...m, fields: new Set([...m.fields].filter((k) => !conflicts.some((c) => c.key === k && c.manager === m.manager))) }));
    nextManagers.push(previous && deepEqual([...previous.fields].sort(), [...owned].sort()) ? previous : mine);
    validate(t, next);
    applyDefaults(t, next, live);
    validateUpdate(t, live, next, this.lookup);
    return this.commit(t, live, next, nextManagers, o, "apply");
  }

  delete(t: ResourceType, ns: string | undefined, name: string, o: WriteOptions): KObj {
    const live = this.store.get(t, ns, name);
    if (!live) throw notFound(t, name);
    this.record({ verb: "delete", kind: t.kind, namespace: ns, name, fieldManager: o.fieldManager, changed: !o.dryRun });
    if (o.dryRun) return live;
    if (t.kind === "Namespace" && t.group === "") return this.terminate(t, live);
    const gone = this.store.remove(t, ns, name)!;
    if (o.propagationPolicy === "Orphan") this.controllers.orphan(gone);
    else this.controllers.afterDelete(t, gone);
    return gone;
  }

  /**
   * Namespace deletion is asynchronous: the namespace turns Terminating at once, and the
   * namespace controller deletes its contents and then the namespace itself later
   * (pkg/controller/namespace/deletion/namespaced_resources_deleter.go).
   */
  private terminate(t: ResourceType, live: KObj): KObj {
    if (live.status?.phase === "Terminating") return this.store.render(t, live);
    const next = clone(live);
    next.metadata.deletionTimestamp = now();
    next.status = { ...(next.status ?? {}), phase: "Terminating" };
    const saved = this.store.save(t, next, this.store.managersOf(t, undefined, live.metadata.name));
    const finish = () => {
      const gone = this.store.remove(t, undefined, live.metadata.name);
      if (gone) this.controllers.afterDelete(t, gone);
    };
    if (this.namespaceDeletionMs <= 0) finish();
    else setTimeout(finish, this.namespaceDeletionMs).unref();
    return saved;
  }

  /** Ownership after an update: changed fields move to the updater; vanished fields leave everyone. */
  private updateOwnership(t: ResourceType, live: KObj, next: KObj, o: WriteOptions): Manager[] {
    const subresource = o.subresource;
    const manager = o.fieldManager ?? "unknown";
    const before = fieldSet(live, false);
    const after = fieldSet(next, false);
    const changed = [...after].filter((k) => !before.has(k) || !deepEqual(valueAt(live, pathFromKey(k)), valueAt(next, pathFromKey(k))));
    const managers = this.store
      .managersOf(t, live.metadata.namespace, live.metadata.name)
      .map((m) => ({ ...m, fields: new Set([...m.fields].filter((k) => after.has(k) && !changed.includes(k))) }));
    if (changed.length) {
      let mine = managers.find((m) => m.manager === manager && m.operation === "Update" && m.subresource === subresource);
      if (!mine) managers.push((mine = { manager, operation: "Update", apiVersion: next.apiVersion, fields: new Set(), time: now(), ...(subresource ? { subresource } : {}) }));
      for (const k of changed) mine.fields.add(k);
      mine.time = now();
    }
    return managers;
  }

  /** Stores `next` unless nothing changed (then the live object is returned and no event fires). */
  private commit(t: ResourceType, live: KObj, next: KObj, managers: Manager[], o: WriteOptions, verb: WriteRecord["verb"]): KObj {
    const strip = (x: KObj) => ({ ...x, metadata: { ...x.metadata, managedFields: undefined, resourceVersion: undefined } });
    const before = this.store.managersOf(t, live.metadata.namespace, live.metadata.name);
    const sameOwners =
      before.length === managers.length &&
      before.every((b) => managers.some((m) => m.manager === b.manager && m.operation === b.operation && deepEqual([...m.fields].sort(), [...b.fields].sort())));
    const changed = !(deepEqual(strip(live), strip(next)) && sameOwners);
    this.record({ verb, kind: t.kind, namespace: live.metadata.namespace, name: live.metadata.name, fieldManager: o.fieldManager, subresource: o.subresource, changed: changed && !o.dryRun });
    if (!changed) return this.store.render(t, live);
    if (o.dryRun) return next;
    const saved = this.store.save(t, next, managers);
    this.controllers.afterWrite(t, saved);
    return saved;
  }
}

export { ApiError };

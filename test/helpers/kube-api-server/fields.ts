// Field sets as server-side apply sees them: leaf paths such as
// `f:spec/f:template/f:spec/f:containers/k:{"name":"app"}/f:image`, the structured-merge
// rules for lists (associative by a key, else atomic), and the managedFields encoding.

/** A path of encoded segments: `f:name` for a field, `k:{...}` for an item of a keyed list. */
export type FieldPath = string[];

const SEP = "\u0000";
export const pathKey = (p: FieldPath) => p.join(SEP);
export const pathFromKey = (k: string): FieldPath => k.split(SEP);

/** The key fields of an associative list, by field name, as the built-in schemas declare them. */
function listKeys(field: string, items: unknown[]): string[] | undefined {
  const objs = items.every((i) => i !== null && typeof i === "object" && !Array.isArray(i)) ? (items as Record<string, unknown>[]) : undefined;
  if (!objs || objs.length === 0) return undefined;
  const all = (keys: string[]) => objs.every((o) => keys.every((k) => o[k] !== undefined));
  if (field === "ports" && all(["containerPort"])) return ["containerPort", "protocol"];
  if (field === "ports" && all(["port"])) return ["port", "protocol"];
  if (field === "volumeMounts" && all(["mountPath"])) return ["mountPath"];
  if (field === "conditions" && all(["type"])) return ["type"];
  if (["containers", "initContainers", "env", "volumes", "imagePullSecrets", "ephemeralContainers"].includes(field) && all(["name"])) return ["name"];
  return undefined;
}

/** A key field's value; `protocol` defaults to TCP as the schema says, so a port keys the same with or without it. */
const keyValue = (item: Record<string, unknown>, k: string) => item[k] ?? (k === "protocol" ? "TCP" : undefined);
const itemKey = (keys: string[], item: Record<string, unknown>) => `k:${JSON.stringify(Object.fromEntries(keys.map((k) => [k, keyValue(item, k)])))}`;
const itemMatches = (item: unknown, want: Record<string, unknown>) => isMap(item) && Object.entries(want).every(([k, v]) => keyValue(item, k) === v);

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Fields an apply configuration sets; identity fields (apiVersion, kind, name, namespace) are not owned. */
export function fieldSet(obj: Record<string, unknown>, skipStatus = true): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, path: FieldPath, field: string) => {
    if (isMap(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) walk(child, [...path, `f:${k}`], k);
      return;
    }
    const keys = Array.isArray(v) ? listKeys(field, v) : undefined;
    if (Array.isArray(v) && keys) {
      for (const item of v as Record<string, unknown>[]) {
        const p = [...path, itemKey(keys, item)];
        out.add(pathKey(p));
        for (const [k, child] of Object.entries(item)) walk(child, [...p, `f:${k}`], k);
      }
      return;
    }
    out.add(pathKey(path));
  };
  for (const [k, v] of Object.entries(obj)) {
    if (k === "apiVersion" || k === "kind" || (skipStatus && k === "status")) continue;
    if (k === "metadata" && isMap(v)) {
      for (const [mk, mv] of Object.entries(v)) {
        if (["name", "namespace", "managedFields", "resourceVersion", "uid", "creationTimestamp", "generation"].includes(mk)) continue;
        walk(mv, ["f:metadata", `f:${mk}`], mk);
      }
      continue;
    }
    walk(v, [`f:${k}`], k);
  }
  return out;
}

/** The value at a path, or undefined. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let cur: unknown = obj;
  for (const seg of path) {
    if (seg.startsWith("f:")) {
      if (!isMap(cur)) return undefined;
      cur = cur[seg.slice(2)];
    } else if (seg.startsWith("k:")) {
      if (!Array.isArray(cur)) return undefined;
      const want = JSON.parse(seg.slice(2)) as Record<string, unknown>;
      cur = cur.find((i) => itemMatches(i, want));
    }
  }
  return cur;
}

/** Removes the field or list item at `path` from `obj` (in place). */
export function removeAt(obj: Record<string, unknown>, path: FieldPath): void {
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1]!;
  // The parent of a keyed item is the list, reached through the field segment before it.
  const parent = valueAt(obj, parentPath);
  if (last.startsWith("f:") && isMap(parent)) delete parent[last.slice(2)];
  if (last.startsWith("k:") && Array.isArray(parent)) {
    const want = JSON.parse(last.slice(2)) as Record<string, unknown>;
    const i = parent.findIndex((it) => itemMatches(it, want));
    if (i >= 0) parent.splice(i, 1);
  }
}

/** Structured merge of `patch` into `base` (new object): maps merge, keyed lists merge by key, other lists are replaced. */
export function structuredMerge(base: unknown, patch: unknown, field = ""): unknown {
  if (isMap(patch) && isMap(base)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(patch)) out[k] = k in base ? structuredMerge(base[k], v, k) : clone(v);
    return out;
  }
  if (Array.isArray(patch) && Array.isArray(base)) {
    const keys = listKeys(field, patch);
    if (keys && listKeys(field, base)) {
      const out = base.map(clone) as Record<string, unknown>[];
      for (const item of patch as Record<string, unknown>[]) {
        const id = itemKey(keys, item);
        const i = out.findIndex((b) => itemKey(keys, b) === id);
        if (i >= 0) out[i] = structuredMerge(out[i], item) as Record<string, unknown>;
        else out.push(clone(item));
      }
      return out;
    }
  }
  return clone(patch);
}

export const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

export const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (isMap(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

/** `.spec.template.spec.containers[name="app"].image`, as conflict messages print paths. */
export function describePath(path: FieldPath): string {
  return path
    .map((seg) => {
      if (seg.startsWith("f:")) return `.${seg.slice(2)}`;
      const keys = JSON.parse(seg.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(keys).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}]`;
    })
    .join("");
}

/** Encodes a field set as managedFields `fieldsV1`. */
export function encodeFieldsV1(fields: Set<string>): Record<string, unknown> {
  const root: Record<string, any> = {};
  for (const k of [...fields].sort()) {
    let node = root;
    const path = pathFromKey(k);
    path.forEach((seg, i) => {
      node[seg] ??= {};
      node = node[seg];
      if (i === path.length - 1 && seg.startsWith("k:")) node["."] = {};
    });
  }
  return root;
}

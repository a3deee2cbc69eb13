// Non-apply patches: JSON merge patch (RFC 7386), strategic merge patch (merge patch with
// keyed lists merged by key, as far as built-in types need) and JSON patch (RFC 6902).
import { badRequest } from "./status.js";
import { clone, structuredMerge } from "./fields.js";

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return clone(patch);
  const out: Record<string, unknown> = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

export function strategicMergePatch(target: unknown, patch: unknown, field = ""): unknown {
  if (!isMap(patch)) return Array.isArray(patch) ? structuredMerge(target, patch, field) : clone(patch);
  const out: Record<string, unknown> = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith("$")) continue;
    if (v === null) delete out[k];
    else out[k] = strategicMergePatch(out[k], v, k);
  }
  return out;
}

const unescape = (s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~");

export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest("json patch must be an array of operations");
  let doc = clone(target);
  for (const op of ops as { op: string; path: string; value?: unknown; from?: string }[]) {
    const segs = op.path.split("/").slice(1).map(unescape);
    const parentOf = (root: any): [any, string] => {
      let cur = root;
      for (const s of segs.slice(0, -1)) {
        cur = cur?.[Array.isArray(cur) ? Number(s) : s];
        if (cur === undefined) throw badRequest(`the server rejected our request due to an error in our request: jsonpatch ${op.op} operation does not apply: doc is missing path: "${op.path}"`);
      }
      return [cur, segs[segs.length - 1]!];
    };
    if (segs.length === 0) {
      doc = clone(op.value);
      continue;
    }
    const [parent, last] = parentOf(doc);
    const idx = Array.isArray(parent) ? (last === "-" ? parent.length : Number(last)) : last;
    switch (op.op) {
      case "add":
        if (Array.isArray(parent)) parent.splice(idx as number, 0, clone(op.value));
        else parent[last] = clone(op.value);
        break;
      case "replace":
        parent[idx] = clone(op.value);
        break;
      case "remove":
        if (Array.isArray(parent)) parent.splice(idx as number, 1);
        else delete parent[last];
        break;
      case "test":
        if (JSON.stringify(parent[idx]) !== JSON.stringify(op.value)) throw badRequest(`the server rejected our request due to an error in our request: testing value ${op.path} failed`);
        break;
      default:
        throw badRequest(`unsupported json patch operation ${op.op}`);
    }
  }
  return doc;
}

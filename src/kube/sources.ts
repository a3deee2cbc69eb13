// Which file each rendered object came from, so errors can name it. Kept beside the objects
// (not in them) so nothing extra is sent to the cluster.
import type { KubeObject } from "../model/index.js";

const sources = new WeakMap<object, string>();

export function setSource(obj: KubeObject, file: string): KubeObject {
  sources.set(obj, file);
  return obj;
}

export function sourceOf(obj: KubeObject): string | undefined {
  return sources.get(obj);
}

const locators = new WeakMap<object, (path: (string | number)[]) => string>();

/** Remembers how to find a field of `obj` in its file (`file:line:col`), for errors about one field. */
export function setLocator(obj: KubeObject, locate: (path: (string | number)[]) => string): KubeObject {
  locators.set(obj, locate);
  return obj;
}

/**
 * `file:line:col` of the field at `path` (as the API server prints it: `.spec.template.spec.containers[name="app"].foo`)
 * in `obj`'s file; the object's own source when its file is not known field by field.
 */
export function sourceOfField(obj: KubeObject, path: string): string | undefined {
  const locate = locators.get(obj);
  if (!locate) return sourceOf(obj);
  const segs: (string | number)[] = [];
  let cur: unknown = obj;
  for (const m of path.matchAll(/\.([^.[\]]+)|\[(\d+)\]|\[(\w+)="([^"]*)"\]/g)) {
    if (m[1] !== undefined) {
      segs.push(m[1]);
      cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[m[1]] : undefined;
    } else {
      const list = Array.isArray(cur) ? cur : [];
      const i = m[2] !== undefined ? Number(m[2]) : list.findIndex((x) => x && typeof x === "object" && String((x as Record<string, unknown>)[m[3]!]) === m[4]);
      segs.push(Math.max(i, 0));
      cur = list[i];
    }
  }
  return locate(segs);
}

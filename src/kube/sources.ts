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

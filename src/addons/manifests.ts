// Reads the pinned addon manifests shipped in clusters/addons/ (next to dist/ and src/ alike).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../model/index.js";

/** Absolute path of clusters/addons/. */
export const ADDONS_DIR = fileURLToPath(new URL("../../clusters/addons/", import.meta.url));

const cache = new Map<string, KubeObject[]>();

/** The objects of a pinned manifest, e.g. `ingress-nginx/v1.15.1/deploy.yaml`; a fresh copy each call. */
export function readAddonManifest(file: string): KubeObject[] {
  let objects = cache.get(file);
  if (!objects) {
    const docs = parseAllDocuments(readFileSync(`${ADDONS_DIR}${file}`, "utf8"));
    objects = docs.map((d) => d.toJS() as KubeObject | null).filter((o): o is KubeObject => o !== null);
    cache.set(file, objects);
  }
  return structuredClone(objects);
}

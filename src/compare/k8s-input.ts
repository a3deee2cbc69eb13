// The Kubernetes side of compare-compose, read with the checks a comparison needs on top of
// src/kube/manifests.ts: a Helm chart is named as one (it must be rendered first), and the same
// object written in two plain files is an error naming both (kubectl would apply one over the
// other). Bad input exits 2.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { configError } from "../errors/devenv-error.js";
import { displayPath } from "../files/yaml.js";
import { isKustomizeDir, loadManifests } from "../kube/manifests.js";
import { sourceOf } from "../kube/sources.js";
import type { KubeObject } from "../model/index.js";

export async function loadK8sForCompare(paths: string[], cwd: string): Promise<KubeObject[]> {
  for (const p of paths.map((x) => resolve(cwd, x))) {
    const chart = existsSync(p) && statSync(p).isDirectory() && !isKustomizeDir(p) ? findChart(p) : undefined;
    if (chart) {
      throw configError(`${displayPath(chart)} is a Helm chart: compare-compose reads rendered manifests`, join(displayPath(chart), "Chart.yaml"), `render it first with \`helm template NAME ${displayPath(chart)} > rendered.yaml\` (add your -f values.yaml), then pass --k8s rendered.yaml`);
    }
  }
  const objects = await loadManifests(paths, cwd);
  const seen = new Map<string, KubeObject>();
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${o.metadata.name}`;
    const first = seen.get(id);
    if (first) {
      const a = sourceOf(first) ?? "?";
      const b = sourceOf(o) ?? "?";
      throw configError(`${id} is defined twice: in ${a} and in ${b}`, b, "keep one of them (kubectl would apply the later one over the earlier)");
    }
    seen.set(id, o);
  }
  return objects;
}

/** The first directory at or below `dir` that holds a Chart.yaml. */
function findChart(dir: string, depth = 0): string | undefined {
  if (existsSync(join(dir, "Chart.yaml"))) return dir;
  if (depth > 4) return undefined;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name.startsWith(".") || e.name === "node_modules") continue;
    const found = findChart(join(dir, e.name), depth + 1);
    if (found) return found;
  }
  return undefined;
}

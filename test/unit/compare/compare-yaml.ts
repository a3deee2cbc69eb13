// The compare tests' one way in: a compose file and a manifest stream, both as YAML text,
// compared the way `devenv compare-compose --compose compose.yml --k8s test.yaml` would.
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks, type CompareOptions } from "../../../src/compare/compare.js";
import { parseManifests } from "../../../src/kube/manifests.js";
import { writeFiles } from "../compose/write-files.js";

/** Writes compose.yml (and `files` beside it) to a temp dir and compares it with `manifests`. */
export function compareYaml(compose: string, manifests: string, opts: CompareOptions = {}, files: Record<string, string> = {}) {
  const dir = writeFiles({ "compose.yml": compose, ...files });
  return compareStacks(loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }), parseManifests(manifests, "test.yaml"), opts);
}

/** Several manifests as one YAML stream. */
export const yamlStream = (...docs: string[]) => docs.join("\n---\n");

/** A Deployment `name` (pods labelled app: name) with one container, given as a YAML flow map; `extra` is appended. */
export const deployment = (name: string, container: string, extra = "") => `${workload(name, `
        - ${container}`)}${extra}`;

/** A workload `name` (Deployment unless `kind`; `metaLabels` on the object itself) whose pods, labelled
 *  `labels` (default `app: name`), run `containers`: a YAML flow list, or block lines after a newline. */
export function workload(name: string, containers: string, o: { labels?: string; namespace?: string; kind?: string; metaLabels?: string } = {}): string {
  const labels = o.labels ?? `app: ${name}`;
  return `apiVersion: apps/v1
kind: ${o.kind ?? "Deployment"}
metadata: { name: ${name}${o.namespace ? `, namespace: ${o.namespace}` : ""}${o.metaLabels ? `, labels: { ${o.metaLabels} }` : ""} }
spec:
  selector: { matchLabels: { ${labels} } }
  template:
    metadata: { labels: { ${labels} } }
    spec:
      containers: ${containers}
`;
}

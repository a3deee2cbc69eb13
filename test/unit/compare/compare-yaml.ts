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
export const deployment = (name: string, container: string, extra = "") => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - ${container}
${extra}`;

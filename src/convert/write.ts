// Writes a converted project as a kustomize base: one YAML per service, volumes.yaml,
// namespace.yaml, kustomization.yaml. Secret values never land in the YAML: each Secret becomes
// a `secretGenerator` reading `<service>.secret.env` (a compose secret: `<name>.<key>.secret`),
// which a .gitignore keeps out of git.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import type { KubeObject } from "../model/index.js";
import type { ConvertResult } from "./convert.js";
import { SECRET_FILES } from "./file-grants.js";

/** Files to write (name → text), pure. */
export function renderBase(result: ConvertResult, namespace?: string): Map<string, string> {
  const out = new Map<string, string>();
  const resources: string[] = [];
  const generators: { name: string; envs?: string[]; files?: string[]; options: { labels?: Record<string, string> } }[] = [];
  if (namespace) {
    out.set("namespace.yaml", stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } }));
    resources.push("namespace.yaml");
  }
  for (const [file, objects] of result.files) {
    const kept: KubeObject[] = [];
    for (const o of objects) {
      if (o.kind !== "Secret") {
        kept.push(o);
        continue;
      }
      const data = o.stringData as Record<string, string>;
      if (o.metadata.annotations?.[SECRET_FILES]) {
        // A compose secret is a file: one git-ignored file per key, its bytes kept as they are.
        const keys = Object.keys(data);
        for (const k of keys) out.set(`${o.metadata.name}.${k}.secret`, data[k]!);
        generators.push({ name: o.metadata.name, files: keys.map((k) => `${k}=${o.metadata.name}.${k}.secret`), options: { labels: o.metadata.labels } });
        continue;
      }
      const envFile = `${o.metadata.name}.env`;
      out.set(envFile, Object.entries(data).map(([k, v]) => `${k}=${v.replace(/\n/g, "\\n")}`).join("\n") + "\n");
      generators.push({ name: o.metadata.name, envs: [envFile], options: { labels: o.metadata.labels } });
    }
    if (!kept.length) continue;
    // No YAML anchors: the readiness and liveness probes are one object here, two fields there.
    out.set(file, kept.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n"));
    resources.push(file);
  }
  const kustomization: Record<string, unknown> = { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization" };
  if (namespace) kustomization.namespace = namespace;
  kustomization.resources = resources;
  if (generators.length) kustomization.secretGenerator = generators;
  out.set("kustomization.yaml", `# Written by \`devenv convert\`. Secret values live in *.env (git-ignored), never in the YAML.\n${stringify(kustomization)}`);
  if (generators.length) out.set(".gitignore", "# Secret values for kustomize's secretGenerator: keep them out of git.\n*.env\n*.secret\n");
  return out;
}

/** Writes the rendered files into `dir` (created if needed); returns their names. */
export function writeBase(dir: string, files: Map<string, string>): string[] {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of files) writeFileSync(join(dir, name), text, { mode: name.endsWith(".env") || name.endsWith(".secret") ? 0o600 : 0o644 });
  return [...files.keys()];
}

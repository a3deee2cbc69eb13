// compose `secrets:` / `configs:` → their cluster twins. A compose secret becomes a Secret whose
// value kustomize's secretGenerator reads from a git-ignored file (never the YAML), a config a
// ConfigMap; each grant is mounted as ONE file at compose's target through `subPath`, as compose
// mounts it (compose-spec 05-services.md). A secret or config used by several services is made once.
import type { ComposeFileSource, ComposeProject, ComposeService } from "../compose/model.js";
import type { KubeObject } from "../model/index.js";
import { CONFIGMAP_MAX_BYTES, keyOf, type HostTree } from "./mounts.js";

/** Marks a Secret whose keys write.ts renders as secretGenerator `files` (one git-ignored file per key), not an env file. */
export const SECRET_FILES = "devenv.dev/convert-secret-files";

export interface GrantMounts {
  volumes: Record<string, unknown>[];
  mounts: Record<string, unknown>[];
}

export class FileGrants {
  /** `secret:db_password` → the object's name. */
  private readonly made = new Map<string, string>();
  /** The Secrets and ConfigMaps made, for their own file. */
  readonly objects: KubeObject[] = [];
  readonly notes: string[] = [];

  constructor(
    private readonly project: ComposeProject,
    private readonly readHost: (source: string) => HostTree,
    private readonly uniqueName: (base: string) => string,
    private readonly meta: (name: string) => KubeObject["metadata"],
  ) {}

  /** The volumes and mounts that give `s` its granted files. */
  mount(s: ComposeService): GrantMounts {
    const out: GrantMounts = { volumes: [], mounts: [] };
    s.files.forEach((f, i) => {
      const key = keyOf(f.source);
      const name = this.object(f.kind, f.source, key);
      const vname = `${f.kind}-${i}`;
      out.volumes.push({ name: vname, ...(f.kind === "secret" ? { secret: { secretName: name, items: [{ key, path: key }] } } : { configMap: { name, items: [{ key, path: key }] } }) });
      out.mounts.push({ name: vname, mountPath: f.target, subPath: key, readOnly: true });
    });
    return out;
  }

  private object(kind: "secret" | "config", source: string, key: string): string {
    const id = `${kind}:${source}`;
    const known = this.made.get(id);
    if (known) return known;
    const name = this.uniqueName(source);
    this.made.set(id, name);
    const def = (kind === "secret" ? this.project.secrets : this.project.configs)[source]!;
    const what = kind === "secret" ? "Secret" : "ConfigMap";
    if (def.external) {
      this.notes.push(`${kind} ${source}: external in compose, so convert does not make it: create ${what}/${name} with the key ${key} in the cluster (\`kubectl create ${kind === "secret" ? "secret generic" : "configmap"} ${name} --from-file=${key}=<file>\`)`);
      return name;
    }
    const content = this.content(kind, source, def);
    if (content === undefined) return name;
    if (kind === "config" && Buffer.byteLength(content) > CONFIGMAP_MAX_BYTES) {
      this.notes.push(`config ${source}: over 1 MiB, more than a ConfigMap may hold: not converted; put the file into the image`);
      return name;
    }
    if (kind === "secret") {
      this.objects.push({ apiVersion: "v1", kind: "Secret", metadata: { ...this.meta(name), annotations: { [SECRET_FILES]: "true" } }, type: "Opaque", stringData: { [key]: content } });
      this.notes.push(`secret ${source}: Secret/${name} from ${name}.${key}.secret (git-ignored, read by kustomize's secretGenerator), mounted as the file compose mounts`);
    } else this.objects.push({ apiVersion: "v1", kind: "ConfigMap", metadata: this.meta(name), data: { [key]: content } });
    return name;
  }

  /** The content compose would mount: the file's, the variable's, or the inline `content:`. */
  private content(kind: "secret" | "config", source: string, def: ComposeFileSource): string | undefined {
    if (def.content !== undefined) return def.content;
    if (def.environment !== undefined) {
      if (def.value === undefined) this.notes.push(`${kind} ${source}: its variable ${def.environment} is not set, so convert has no value for it: set it and run convert again`);
      return def.value;
    }
    if (def.file === undefined) return undefined;
    const tree = this.readHost(def.file);
    if (tree.kind === "file") return tree.file.bytes.toString("utf8");
    this.notes.push(`${kind} ${source}: ${def.file} is ${tree.kind === "dir" ? "a directory" : tree.kind === "unreadable" ? `unreadable (${tree.error})` : "missing"}, so convert has no content for it: create the object yourself`);
    return undefined;
  }
}

// Where compare-compose and convert get their inputs: flags first (`--compose`, `--env-file`,
// `--k8s`), else devenv.ts (compose.*, manifests.*, compare.*, images, order, namespace).
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { readDotenvFile } from "../files/dotenv.js";
import { loadEnv, type LoadedEnv } from "../config/load.js";
import { configError } from "../errors/devenv-error.js";
import type { LoadComposeOptions } from "../compose/load.js";
import type { CompareOptions } from "./compare.js";

export interface CompareFlags {
  compose?: string[];
  envFile?: string;
  /** `--k8s`, repeatable: the objects of every one are compared together. */
  k8s?: string | string[];
  ignore?: string[];
  /** Compose profiles to enable (default: devenv.ts compose.profiles). */
  profile?: string[];
}

export interface CompareInputs {
  compose: LoadComposeOptions;
  /** Kustomize dir or manifest files / dirs, absolute. */
  k8s: string[];
  options: CompareOptions;
  env?: LoadedEnv;
  /** Kustomize Components included for the enabled compose profiles (devenv.ts compare.profiles), absolute. */
  components?: string[];
}

/** Resolves inputs; devenv.ts is read only when flags leave something open and it exists. */
export async function resolveInputs(flags: CompareFlags, envFile: string, cwd: string, needK8s = true): Promise<CompareInputs> {
  const k8sFlags = [flags.k8s ?? []].flat();
  const haveFlags = Boolean(flags.compose?.length) && (!needK8s || k8sFlags.length > 0);
  const envPath = resolve(cwd, envFile);
  const env = !haveFlags && existsSync(envPath) ? await loadEnv(envFile, cwd) : undefined;
  if (!haveFlags && !env) {
    throw configError(`no ${needK8s ? "inputs" : "compose file"}: pass --compose FILE${needK8s ? " and --k8s DIR" : ""}, or run where a devenv.ts is`, undefined, `e.g. devenv ${needK8s ? "compare-compose --compose docker-compose.yml --k8s k8s/base" : "convert --compose docker-compose.yml --out k8s/base"}`);
  }
  const c = env?.config;
  const root = env?.root ?? cwd;
  const composeFiles = flags.compose?.length ? flags.compose.map((f) => resolve(cwd, f)) : (c?.compose?.files ?? []).map((f) => resolve(root, f));
  if (!composeFiles.length) throw configError("no compose files: devenv.ts has no compose.files", env?.file, "add compose: { files: [\"docker-compose.yml\"] } to devenv.ts, or pass --compose FILE");
  const k8s = k8sFlags.length ? k8sFlags.map((k) => resolve(cwd, k)) : c?.manifests ? ("kustomize" in c.manifests ? [resolve(root, c.manifests.kustomize)] : c.manifests.files.map((f) => resolve(root, f))) : [];
  if (needK8s && !k8s.length) throw configError("no Kubernetes manifests: devenv.ts has no manifests", env?.file, "add manifests: { kustomize: \"k8s/overlays/dev\" } to devenv.ts, or pass --k8s DIR");
  const profiles = flags.profile?.length ? flags.profile : (c?.compose?.profiles ?? []);
  const components = profiles.flatMap((p) => (c?.compare.profiles[p] ? [resolve(root, c.compare.profiles[p]!)] : []));
  if (components.length) {
    if (k8s.length !== 1 || !existsSync(join(k8s[0]!, "kustomization.yaml"))) {
      throw configError(`compose profiles ${profiles.join(", ")} map to kustomize components (compare.profiles), but the manifests are not one kustomize directory`, env?.file, "point manifests (or --k8s) at a kustomize overlay, or drop compare.profiles");
    }
    k8s.splice(0, 1, withComponents(k8s[0]!, components, env?.namespace));
  }
  const envFileOpt = flags.envFile ? resolve(cwd, flags.envFile) : c?.compose?.envFile ? resolve(root, c.compose.envFile) : undefined;
  return {
    compose: { files: composeFiles, cwd, envFile: envFileOpt, profiles: profiles.length ? profiles : undefined, projectName: c?.compose?.projectName },
    k8s,
    env,
    ...(components.length ? { components } : {}),
    options: {
      namespace: env?.namespace,
      map: c?.compare.map ?? {},
      ignore: [...(c?.compare.ignore ?? []), ...(flags.ignore ?? [])],
      ignoreFor: c?.compare.ignoreFor ?? {},
      images: Object.values(c?.images ?? {}).map((i) => ({ repository: i.image, context: resolve(root, i.context), dockerfile: i.dockerfile })),
      order: c?.order ?? {},
      devSecrets: c ? devSecretValues(c.secrets, envFileOpt ?? resolve(dirname(composeFiles[0]!), ".env")) : {},
    },
  };
}

/**
 * A kustomization (in a temporary directory) of `overlay` plus `components`, which kustomize
 * cannot render on their own. Directories may live outside a kustomization's root; paths are relative.
 */
function withComponents(overlay: string, components: string[], namespace: string | undefined): string {
  const dir = mkdtempSync(join(tmpdir(), "devenv-compare-"));
  const rel = (p: string) => relative(dir, p).split("\\").join("/");
  const lines = ["apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", ...(namespace ? [`namespace: ${namespace}`] : []), "resources:", `  - ${rel(overlay)}`, "components:", ...components.map((c) => `  - ${rel(c)}`)];
  writeFileSync(join(dir, "kustomization.yaml"), `${lines.join("\n")}\n`);
  return dir;
}

/** devenv.ts `secrets` resolved without side effects: literals and `{ env }` values; `{ generate }` → null. */
function devSecretValues(secrets: Record<string, Record<string, string | { env: string } | { generate: number }>>, dotenvFile: string): Record<string, Record<string, string | null>> {
  const dotenv = readDotenvFile(dotenvFile, (n) => process.env[n], true);
  return Object.fromEntries(
    Object.entries(secrets).map(([name, keys]) => [
      name,
      Object.fromEntries(Object.entries(keys).map(([k, src]) => [k, typeof src === "string" ? src : "env" in src ? (process.env[src.env] ?? dotenv[src.env] ?? null) : null])),
    ]),
  );
}

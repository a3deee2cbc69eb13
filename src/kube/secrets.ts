// Dev secrets: Secrets the manifests reference (envFrom, secretKeyRef, volumes) but do not
// define are built from devenv.ts `secrets` and the compose `.env`, kept mode 0600 under
// `<root>/.devenv/secrets/` (git-ignored) so generated values stay stable, and never printed.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { LoadedEnv } from "../config/load.js";
import type { KubeObject } from "../model/index.js";
import { configError } from "../errors/devenv-error.js";
import { readDotenvFile } from "../files/dotenv.js";
import { writeStateFileSync } from "../files/state-dir.js";
import { containersOf, podSpecOf } from "./pod-spec.js";
import { setSource, sourceOf } from "./sources.js";

export interface SecretRef {
  name: string;
  namespace?: string;
  /** Keys read one by one (secretKeyRef, volume items); empty when the whole Secret is used. */
  keys: Set<string>;
  /** Where it is referenced, e.g. `Deployment/api (k8s/api.yaml:12)`. */
  referencedBy: string;
  optional: boolean;
}

const describe = (o: KubeObject) => `${o.kind}/${o.metadata.name}${sourceOf(o) ? ` (${sourceOf(o)})` : ""}`;

/** Secrets the pod specs reference, by name. Pure. */
export function referencedSecrets(objects: KubeObject[]): Map<string, SecretRef> {
  const out = new Map<string, SecretRef>();
  const note = (o: KubeObject, name: string | undefined, key: string | undefined, optional: boolean | undefined) => {
    if (!name) return;
    const ref = out.get(name) ?? { name, namespace: o.metadata.namespace, keys: new Set<string>(), referencedBy: describe(o), optional: true };
    if (key) ref.keys.add(key);
    ref.optional &&= Boolean(optional);
    out.set(name, ref);
  };
  for (const o of objects) {
    for (const c of containersOf(o, { init: true })) {
      for (const ef of c.envFrom ?? []) note(o, ef.secretRef?.name, undefined, ef.secretRef?.optional);
      for (const e of c.env ?? []) note(o, e.valueFrom?.secretKeyRef?.name, e.valueFrom?.secretKeyRef?.key, e.valueFrom?.secretKeyRef?.optional);
    }
    for (const v of podSpecOf(o)?.volumes ?? []) {
      const s = v.secret;
      if (!s) continue;
      if (s.items?.length) for (const it of s.items) note(o, s.secretName, it.key, s.optional);
      else note(o, s.secretName, undefined, s.optional);
    }
  }
  return out;
}

/** Referenced Secrets that no manifest defines (optional references are left out). Pure. */
export function missingSecrets(objects: KubeObject[]): SecretRef[] {
  const defined = new Set(objects.filter((o) => o.kind === "Secret").map((o) => o.metadata.name));
  return [...referencedSecrets(objects).values()].filter((r) => !defined.has(r.name) && !r.optional);
}

type Source = { env: string } | { generate: number } | string;

/** Builds the missing Secrets; throws naming the Secret, key and referencing file when a value has no source. */
export function devSecrets(env: LoadedEnv, objects: KubeObject[], processEnv: Record<string, string | undefined> = process.env): KubeObject[] {
  const missing = missingSecrets(objects);
  if (missing.length === 0) return [];
  const { dotenv } = checkDevSecrets(env, objects, processEnv);
  const dir = join(env.root, ".devenv", "secrets");
  return missing.map((ref) => {
    const sources = env.config.secrets[ref.name] as Record<string, Source>;
    const file = join(dir, `${ref.name}.json`);
    const stored = readStored(env.root, file);
    const data: Record<string, string> = {};
    let generated = false;
    for (const [key, src] of Object.entries(sources)) {
      if (typeof src === "string") data[key] = src;
      else if ("env" in src) {
        // checkDevSecrets above has refused an unset variable.
        data[key] = (processEnv[src.env] ?? dotenv[src.env])!;
      } else {
        if (stored[key] === undefined || stored[key]!.length !== src.generate * 2) {
          stored[key] = randomBytes(src.generate).toString("hex");
          generated = true;
        }
        data[key] = stored[key]!;
      }
    }
    if (generated) storeGenerated(env.root, file, stored);
    const secret: KubeObject = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
      type: "Opaque",
      data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")])),
    };
    return setSource(secret, `devenv.ts secrets.${ref.name}`);
  });
}

/** Whether every Secret the manifests lack has a source in devenv.ts, each key defined and each
 *  `{ env }` variable set (in the environment or the .env file): the checks of devSecrets, without
 *  computing, generating or printing a value, so that `up --dry-run` reports them too. */
export function checkDevSecrets(env: LoadedEnv, objects: KubeObject[], processEnv: Record<string, string | undefined> = process.env): { dotenvFile: string; dotenv: Record<string, string> } {
  const dotenvFile = env.config.compose?.envFile ? join(env.root, env.config.compose.envFile) : join(env.root, ".env");
  const missing = missingSecrets(objects);
  const dotenv = missing.length && existsSync(dotenvFile) ? readDotenvFile(dotenvFile) : {};
  for (const ref of missing) {
    const sources = env.config.secrets[ref.name] as Record<string, Source> | undefined;
    if (!sources) {
      throw configError(`Secret "${ref.name}" is referenced by ${ref.referencedBy} but no manifest defines it and devenv.ts has no secrets.${ref.name}`, env.file, `add secrets: { "${ref.name}": { ${[...ref.keys][0] ?? "KEY"}: { generate: 32 } } } (or { env: "VAR" }, or a literal dev value) to devenv.ts`);
    }
    for (const key of ref.keys) {
      if (!(key in sources)) throw configError(`Secret "${ref.name}" key "${key}" is referenced by ${ref.referencedBy} but devenv.ts secrets.${ref.name} does not define it`, `${env.file} (secrets.${ref.name})`, `add ${key}: { generate: 32 } (or { env: "VAR" }) to secrets.${ref.name}`);
    }
    for (const [key, src] of Object.entries(sources)) {
      if (typeof src === "object" && "env" in src && processEnv[src.env] === undefined && dotenv[src.env] === undefined) {
        throw configError(`Secret "${ref.name}" key "${key}" reads $${src.env}, which is set neither in the environment nor in ${dotenvFile}`, `${env.file} (secrets.${ref.name}.${key})`, `export ${src.env}=..., or add it to ${dotenvFile}`);
      }
    }
  }
  return { dotenvFile, dotenv };
}

/** Writes generated values (0600, in a 0700 directory that a `.gitignore` keeps out of git). */
function storeGenerated(root: string, file: string, values: Record<string, string>): void {
  writeStateFileSync(root, relative(join(root, ".devenv"), file), `${JSON.stringify(values, null, 2)}\n`);
}

/** Values generated earlier; a file that is not a JSON object of strings is reported, never echoed. */
function readStored(root: string, file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const shown = relative(root, file) || file;
  const fix = `delete ${shown} to generate new values (or restore it from a backup); devenv writes it as a JSON object of strings`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw configError(`${shown} is corrupt: it is not valid JSON`, shown, fix);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed) || Object.values(parsed).some((v) => typeof v !== "string")) {
    throw configError(`${shown} is corrupt: expected a JSON object of string values`, shown, fix);
  }
  return parsed as Record<string, string>;
}

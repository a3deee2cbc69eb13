// Where seed credentials come from: a literal, an env var (the process environment, then the
// compose `.env` file), or a Secret key (read from the cluster; for compose, from the dev value
// devenv.ts declares under `secrets`). Values are never logged.
import { dirname, resolve } from "node:path";
import type { LoadedEnv } from "../config/load.js";
import type { KubeRest } from "../kube/rest.js";
import type { Credential } from "../config/schema.js";
import { readDotenvFile } from "../files/dotenv.js";
import { configError, DevenvError } from "../errors/devenv-error.js";
import type { Target } from "../model/index.js";
import { messageOf } from "./transient.js";

export interface CredentialContext {
  env: LoadedEnv;
  target: Target;
  /** The cluster's API client, made on first need (cluster target only). */
  kube(): Promise<KubeRest>;
}

/** The compose `.env` file: compose.envFile, else `.env` next to the first compose file, else next to devenv.ts. */
export function composeEnvFile(env: LoadedEnv): string {
  const c = env.config.compose;
  if (c?.envFile) return resolve(env.root, c.envFile);
  return resolve(c ? dirname(resolve(env.root, c.files[0]!)) : env.root, ".env");
}

/** Reads an env var from the process, then the compose `.env` file. */
export function envValue(env: LoadedEnv, name: string): string | undefined {
  return process.env[name] ?? readDotenvFile(composeEnvFile(env), (n) => process.env[n], true)[name];
}

/** Resolves a credential; `path` is its config path, for errors. */
export async function resolveCredential(cred: Credential, path: string, ctx: CredentialContext): Promise<string> {
  if (typeof cred === "string") return cred;
  if ("env" in cred) return fromEnv(ctx.env, cred.env, path);
  return ctx.target === "cluster" ? fromClusterSecret(ctx, cred.secret, cred.key, path) : fromDevSecret(ctx.env, cred.secret, cred.key, path);
}

function fromEnv(env: LoadedEnv, name: string, path: string): string {
  const v = envValue(env, name);
  if (v === undefined) throw configError(`${path}: environment variable ${name} is not set`, path, `export ${name}=..., or add it to ${composeEnvFile(env)}`);
  return v;
}

/** Compose has no Secrets: use the dev value devenv.ts gives the Secret under `secrets`. */
function fromDevSecret(env: LoadedEnv, secret: string, key: string, path: string): string {
  const source = env.config.secrets[secret]?.[key];
  if (source === undefined) {
    throw configError(`${path}: Secret ${secret}/${key} has no dev value for the compose setup`, path, `declare secrets.${secret}.${key} in devenv.ts (a literal or { env: "NAME" }), or use { env: "NAME" } for this credential`);
  }
  if (typeof source === "string") return source;
  if ("env" in source) return fromEnv(env, source.env, `secrets.${secret}.${key}`);
  throw configError(`${path}: Secret ${secret}/${key} is generated, so the compose setup cannot know it`, path, `give secrets.${secret}.${key} a literal or { env: "NAME" } value, or seed the cluster target`);
}

async function fromClusterSecret(ctx: CredentialContext, secret: string, key: string, path: string): Promise<string> {
  const hint = "the Secret is created by the manifests (or devenv.ts `secrets`) in the data wave; run `devenv up` first";
  const rest = await ctx.kube();
  let found: { data?: Record<string, string> } | undefined;
  try {
    found = await rest.find(`/api/v1/namespaces/${ctx.env.namespace}/secrets/${secret}`);
  } catch (e) {
    throw new DevenvError(`${path}: cannot read Secret ${ctx.env.namespace}/${secret}: ${messageOf(e)}`, { where: path, hint, cause: e });
  }
  if (!found) throw new DevenvError(`${path}: Secret ${ctx.env.namespace}/${secret} does not exist`, { where: path, hint });
  const data = found.data;
  const b64 = data?.[key];
  if (b64 === undefined) throw new DevenvError(`${path}: Secret ${ctx.env.namespace}/${secret} has no key "${key}"`, { where: path, hint: `keys present: ${Object.keys(data ?? {}).join(", ") || "(none)"}` });
  return Buffer.from(b64, "base64").toString("utf8");
}

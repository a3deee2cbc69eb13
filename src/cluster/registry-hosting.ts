// Which registry devenv's built images go through, for each kind of cluster:
// - kind/k3d: devenv's own registry container (`localhost:<port>`, on by default);
// - existing: the registry the cluster advertises in kube-public/local-registry-hosting
//   (KEP-1755 `localRegistryHosting.v1`, read as Tilt reads it: tilt-dev/localregistry-go
//   discover.go — absent or forbidden means "no registry"), or the one cluster.registry.host names.
// `push` is where this machine pushes (the ConfigMap's `host`); `pull` is the name the manifests
// use (`hostFromContainerRuntime`, defaulting to `host`).
import { parse } from "yaml";
import type { LoadedEnv } from "../config/load.js";
import { DevenvError } from "../errors/devenv-error.js";
import type { KubeRest } from "../kube/rest.js";
import { REGISTRY_CONTAINER_PORT } from "./k3d-config.js";
import { traitsOf } from "./traits.js";

export const HOSTING_CONFIGMAP = { namespace: "kube-public", name: "local-registry-hosting", key: "localRegistryHosting.v1" } as const;

/** KEP-1755 LocalRegistryHostingV1 (every field optional). */
export interface LocalRegistryHosting {
  host?: string;
  hostFromContainerRuntime?: string;
  hostFromClusterNetwork?: string;
  help?: string;
}

/** The registry devenv's built images travel through. */
export interface ImageRegistry {
  /** Host side, where devenv pushes: `localhost:5001`. */
  push: string;
  /** The name the cluster's runtime pulls by, written into the manifests. */
  pull: string;
  /** Where the choice came from, for plans and messages. */
  source: "devenv" | "configmap" | "devenv.ts";
  /** The ConfigMap's help URL, shown when a push fails. */
  help?: string;
}

/** Parses the ConfigMap's `localRegistryHosting.v1` value; undefined when it names no host. Throws on YAML that is not a mapping. Pure. */
export function parseLocalRegistryHosting(text: string | undefined): LocalRegistryHosting | undefined {
  if (!text?.trim()) return undefined;
  const v: unknown = parse(text);
  if (!v || typeof v !== "object" || Array.isArray(v)) throw new Error(`${HOSTING_CONFIGMAP.key} is not a YAML mapping`);
  const o = v as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === "string" && (o[k] as string).trim() ? (o[k] as string).trim() : undefined);
  const out: LocalRegistryHosting = { host: str("host"), hostFromContainerRuntime: str("hostFromContainerRuntime"), hostFromClusterNetwork: str("hostFromClusterNetwork"), help: str("help") };
  return out.host ? out : undefined;
}

/** The registry of a kind/k3d config (devenv's container), or undefined when opted out. Pure. */
export function managedRegistry(cluster: LoadedEnv["config"]["cluster"]): ImageRegistry | undefined {
  if (!traitsOf(cluster).managed || !cluster.registry.enabled) return undefined;
  const host = `localhost:${cluster.registry.port}`;
  return { push: host, pull: host, source: "devenv" };
}

/** The host the registry has inside the cluster's Docker network (`devenv-registry:5000`). Pure. */
export function registryNetworkHost(reg: { name: string }): string {
  return `${reg.name}:${REGISTRY_CONTAINER_PORT}`;
}

/** Reads kube-public/local-registry-hosting (Tilt's rules: missing or forbidden → none). */
export async function discoverRegistry(rest: KubeRest): Promise<ImageRegistry | undefined> {
  let cm: { data?: Record<string, string> } | undefined;
  try {
    cm = await rest.find(`/api/v1/namespaces/${HOSTING_CONFIGMAP.namespace}/configmaps/${HOSTING_CONFIGMAP.name}`);
  } catch (e) {
    if ((e as { status?: { code?: number } }).status?.code === 403) return undefined;
    throw e;
  }
  let hosting: LocalRegistryHosting | undefined;
  try {
    hosting = parseLocalRegistryHosting(cm?.data?.[HOSTING_CONFIGMAP.key]);
  } catch (e) {
    throw new DevenvError(`the cluster's ${HOSTING_CONFIGMAP.namespace}/${HOSTING_CONFIGMAP.name} ConfigMap cannot be read: ${(e as Error).message}`, {
      hint: `fix its ${HOSTING_CONFIGMAP.key} key (KEP-1755: host, hostFromContainerRuntime, hostFromClusterNetwork), name the registry in devenv.ts cluster.registry.host, or set cluster.registry.enabled to false`,
    });
  }
  if (!hosting?.host) return undefined;
  return { push: hosting.host, pull: hosting.hostFromContainerRuntime ?? hosting.host, source: "configmap", help: hosting.help };
}

const known = new WeakMap<object, Promise<ImageRegistry | undefined>>();

/** The registry for devenv's built images on this env's cluster (asked once per loaded env). kind/k3d:
 *  from devenv.ts alone; existing: cluster.registry.host, else the cluster's ConfigMap. */
export function imageRegistryFor(env: LoadedEnv, rest?: () => Promise<KubeRest>): Promise<ImageRegistry | undefined> {
  const { cluster } = env.config;
  if (traitsOf(cluster).managed) return Promise.resolve(managedRegistry(cluster));
  if (!cluster.registry.enabled) return Promise.resolve(undefined);
  if (cluster.registry.host) return Promise.resolve({ push: cluster.registry.host, pull: cluster.registry.host, source: "devenv.ts" });
  let p = known.get(env);
  if (!p) {
    p = (async () => discoverRegistry(await (rest ?? (async () => (await import("./env-rest.js")).envRest(env)))()))();
    known.set(env, p);
  }
  return p;
}

// The environment definition: what `devenv.ts` may say. zod validates it and gives each
// field its type; every field carries a one-line comment saying what it is for.
// Paths are relative to the directory of the devenv.ts file that declares them.
import { z } from "zod";

const name = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a DNS-1123 label: lowercase letters, digits and '-'")
  .max(63);
const port = z.number().int().min(1, "a port is 1-65535").max(65535, "a port is 1-65535");
const relPath = z.string().min(1, "must not be empty");

/** `postgres:16` → `mirror.local/postgres:16`: used for builds, manifests, compose and loads. */
export const imageOverridesSchema = z.record(z.string().min(1), z.string().min(1));

export const clusterSchema = z
  .object({
    /** Which cluster to run on: a kind or k3d cluster devenv manages, or any existing kube context. */
    provider: z.enum(["kind", "k3d", "existing"]).default("kind"),
    /** Cluster name (kind/k3d); the kube context becomes `kind-<name>` or `k3d-<name>`. */
    name: name.default("devenv"),
    /** Kube context to use; required for `existing`, derived for kind/k3d. */
    context: z.string().min(1).optional(),
    /** Worker nodes besides the control plane / server. */
    workers: z.number().int().min(0).max(10).default(0),
    /** Host ports that reach the ingress controller. */
    ports: z.object({ http: port.default(80), https: port.default(443) }).strict().default({}),
    /** Host address the ingress ports listen on. 127.0.0.1 (the default) keeps the stack off the
     *  LAN; kind's own default, 0.0.0.0, would serve seeded databases and dev secrets to the Wi-Fi. */
    listenAddress: z.string().ip().default("127.0.0.1"),
    /** kind node image, e.g. `kindest/node:v1.33.1`; default: the kind release's own. */
    nodeImage: z.string().min(1).optional(),
    /** k3s image tag for k3d, e.g. `v1.33.1-k3s1`; default: the k3d release's own. */
    k3sVersion: z.string().min(1).optional(),
    /** Local registry (KEP-1755), on by default for kind and k3d: image loads push only changed layers. */
    registry: z
      .object({
        /** kind/k3d: run a `devenv-registry` container and wire it into the cluster (false: import images into the nodes).
         *  existing: push to the registry the cluster advertises (kube-public/local-registry-hosting) or `host` names. */
        enabled: z.boolean().default(true),
        /** Host port of the registry (`localhost:<port>/image`). */
        port: port.default(5001),
        /** Registry container name. */
        name: z.string().min(1).default("devenv-registry"),
        /** existing only: the registry to push devenv's images to (`host:port`), instead of the one the cluster's
         *  local-registry-hosting ConfigMap names; the cluster must pull from the same name. */
        host: z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, "a registry host, e.g. localhost:5000 or registry.example.com").optional(),
      })
      .strict()
      .default({}),
    /** Host directories mounted into the nodes (kind `extraMounts`), e.g. for hot reload. */
    mounts: z.array(z.object({ hostPath: relPath, containerPath: z.string().startsWith("/") }).strict()).default([]),
  })
  .strict();

export const addonsSchema = z
  .object({
    /** In-cluster NFS server + provisioner: a ReadWriteMany StorageClass. */
    nfs: z
      .object({
        enabled: z.boolean().default(true),
        /** Name of the RWX StorageClass it provides. */
        storageClass: z.string().min(1).default("nfs"),
        /** Size of the NFS server's own backing volume (node local-path). */
        size: z.string().default("10Gi"),
      })
      .strict()
      .default({}),
    /** metrics-server, so HPAs and `kubectl top` work. */
    metricsServer: z.object({ enabled: z.boolean().default(true) }).strict().default({}),
    /** NGINX ingress controller (ingress-nginx v1.15.1, the final release). */
    ingress: z
      .object({
        enabled: z.boolean().default(true),
        /** Which controller: only "ingress-nginx" so far (retired upstream, March 2026); an enum so a successor can be added. */
        controller: z.enum(["ingress-nginx"]).default("ingress-nginx"),
        /** IngressClass name the manifests refer to. */
        className: z.string().min(1).default("nginx"),
      })
      .strict()
      .default({}),
  })
  .strict();

export const syncRuleSchema = z
  .object({
    /** Source path, relative to the image's build context. */
    from: relPath,
    /** Destination path inside the container (absolute). */
    to: z.string().startsWith("/", "must be an absolute path inside the container"),
  })
  .strict();

export const imageSchema = z
  .object({
    /** Repository the manifests and compose files refer to, e.g. `agentforge/backend`. */
    image: z.string().min(1),
    /** Build context directory. */
    context: relPath,
    /** Dockerfile, relative to the context. */
    dockerfile: z.string().min(1).default("Dockerfile"),
    /** Build arguments; values that name an overridden image are rewritten too. */
    buildArgs: z.record(z.string(), z.string()).default({}),
    /** Multi-stage target. */
    target: z.string().min(1).optional(),
    /** Files copied into running containers on change, instead of a rebuild. */
    sync: z.array(syncRuleSchema).default([]),
    /** After a sync: `none`, restart the container, or run a command in it. */
    afterSync: z
      .union([z.literal("none"), z.literal("restart"), z.object({ exec: z.array(z.string()).min(1) }).strict()])
      .default("none"),
    /** Globs (relative to the context) whose change forces a rebuild; default: everything not synced. */
    rebuildOn: z.array(z.string()).optional(),
  })
  .strict();

export const manifestsSchema = z.union([
  /** A kustomize directory, rendered with `kubectl kustomize`. */
  z.object({ kustomize: relPath }).strict(),
  /** Plain manifest files or directories, applied in the order given. */
  z.object({ files: z.array(relPath).min(1) }).strict(),
]);

export const composeSchema = z
  .object({
    /** Compose files, merged in order like `docker compose -f a -f b`. */
    files: z.array(relPath).min(1),
    /** Compose project name; default: the environment name. */
    projectName: z.string().min(1).optional(),
    /** The `.env` file used for interpolation. */
    envFile: relPath.optional(),
    /** Compose profiles to enable. */
    profiles: z.array(z.string()).default([]),
  })
  .strict();

/** Where a data service lives in each setup. */
export const seedTargetSchema = z
  .object({
    /** Compose service name. */
    compose: z.string().min(1).optional(),
    /** Kubernetes Service name (its pods are port-forwarded). */
    service: z.string().min(1).optional(),
    /** Port of the server inside the container / pod. */
    port: port.optional(),
  })
  .strict();

/** Where a credential comes from: a literal (dev only), an env var, or a Secret key. */
export const credentialSchema = z.union([
  z.string(),
  z.object({ env: z.string().min(1) }).strict(),
  z.object({ secret: z.string().min(1), key: z.string().min(1) }).strict(),
]);

export const postgresSeedSchema = z
  .object({
    /** Where the server runs. */
    target: seedTargetSchema.default({}),
    /** Database to seed (created by `reset --data`). */
    database: z.string().min(1),
    /** User to connect as. */
    user: credentialSchema.default("postgres"),
    /** Password source. */
    password: credentialSchema.optional(),
    /** SQL files in order, or a directory whose *.sql files run sorted by name. */
    sql: z.union([relPath, z.array(relPath).min(1)]),
    /** Migrations to run first: a compose service / Kubernetes Job name. */
    migrate: z.object({ compose: z.string().min(1).optional(), job: z.string().min(1).optional() }).strict().optional(),
  })
  .strict();

export const redisSeedSchema = z
  .object({
    /** Where the server runs. */
    target: seedTargetSchema.default({}),
    /** Logical database index. */
    db: z.number().int().min(0).max(15).default(0),
    /** Password source, if the server requires one. */
    password: credentialSchema.optional(),
    /** Fixture files (YAML/JSON typed keys, or `.redis` command files), or a directory of them. */
    fixtures: z.union([relPath, z.array(relPath).min(1)]),
  })
  .strict();

export const seedsSchema = z
  .object({
    /** Postgres seeds, by a name of your choice. */
    postgres: z.record(z.string(), postgresSeedSchema).default({}),
    /** Redis seeds, by a name of your choice. */
    redis: z.record(z.string(), redisSeedSchema).default({}),
  })
  .strict();

/** Ordering hint: `kind/name` (e.g. `job/migrate`) runs after the listed objects are ready. */
export const orderSchema = z.record(z.string().regex(/^[A-Za-z]+\/[-a-z0-9.]+$/, "must be kind/name, e.g. job/migrate"), z.object({ after: z.array(z.string()).min(1) }).strict());

/** Secrets the manifests reference but do not ship: generated or read from `.env`, never printed. */
export const devSecretSchema = z.record(
  z.string(),
  z.union([
    /** Read from this env var (or the compose `.env` file). */
    z.object({ env: z.string().min(1) }).strict(),
    /** A random value of this many bytes (hex), generated once and kept under .devenv/. */
    z.object({ generate: z.number().int().min(8).max(128) }).strict(),
    /** A literal dev value. */
    z.string(),
  ]),
);

export const compareSchema = z
  .object({
    /** compose service → workload name, where names differ. */
    map: z.record(z.string(), z.string()).default({}),
    /** Rule ids to ignore everywhere. */
    ignore: z.array(z.string()).default([]),
    /** Rule ids (or `env.NAME`) to ignore per compose service. */
    ignoreFor: z.record(z.string(), z.array(z.string())).default({}),
    /**
     * compose profile → the kustomize Component holding the same services: when the profile is
     * on (compose.profiles or `--profile`), the manifests are compared with it included.
     */
    profiles: z.record(z.string(), relPath).default({}),
  })
  .strict();

export const envSchema = z
  .object({
    /** Environment name; labels everything devenv creates. */
    name,
    /** Namespace the manifests go to. */
    namespace: name.optional(),
    /** The cluster to run on. */
    cluster: clusterSchema.default({}),
    /** Cluster addons. */
    addons: addonsSchema.default({}),
    /** Images devenv builds, by name. */
    images: z.record(z.string().regex(/^[a-z0-9][-a-z0-9_.]*$/, "image names are lowercase"), imageSchema).default({}),
    /** The Kubernetes manifests. */
    manifests: manifestsSchema.optional(),
    /** The docker-compose setup of the same stack. */
    compose: composeSchema.optional(),
    /** Data seeding. */
    seeds: seedsSchema.default({}),
    /** Ordering hints that override the default apply waves. */
    order: orderSchema.default({}),
    /** Image rewrites, e.g. `{ "postgres:16": "registry.local/postgres:16" }`. */
    imageOverrides: imageOverridesSchema.default({}),
    /** Dev values for Secrets the manifests reference but do not define: secret → key → source. */
    secrets: z.record(z.string(), devSecretSchema).default({}),
    /** compare-compose settings. */
    compare: compareSchema.default({}),
    /** Hot reload settings. */
    watch: z
      .object({
        /** Quiet period before a burst of changes is synced. */
        debounceMs: z.number().int().min(0).max(5000).default(50),
        /** Extra ignore globs besides .git, node_modules and .dockerignore. */
        ignore: z.array(z.string()).default([]),
      })
      .strict()
      .default({}),
  })
  .strict();

/** What a user writes (defaults optional). */
export type EnvInput = z.input<typeof envSchema>;
/** What devenv works with after validation (defaults filled). */
export type EnvConfig = z.output<typeof envSchema>;
export type ImageConfig = z.output<typeof imageSchema>;
export type ClusterConfig = z.output<typeof clusterSchema>;
export type AddonsConfig = z.output<typeof addonsSchema>;
export type PostgresSeed = z.output<typeof postgresSeedSchema>;
export type RedisSeed = z.output<typeof redisSeedSchema>;
export type Credential = z.output<typeof credentialSchema>;
export type SyncRule = z.output<typeof syncRuleSchema>;

// The normalized Compose model: what a compose setup means once files are merged, variables
// interpolated, profiles applied, `extends` resolved and short syntax expanded. Produced by
// loadCompose() (load.ts); read by compare-compose, convert and the compose runner.

/** A whole compose setup after loading. */
export interface ComposeProject {
  /** Project name (`name:` in the files, else the caller's choice). */
  name?: string;
  /** The compose files, absolute, in merge order. */
  files: string[];
  /** Directory relative paths resolve against (the first file's directory). */
  workingDir: string;
  /** Enabled services (profiles applied), by name. */
  services: Record<string, ComposeService>;
  /** Named volumes declared at the top level. */
  volumes: Record<string, ComposeVolume>;
  /** `secrets:` and `configs:` declared at the top level: where each one's content comes from. */
  secrets: Record<string, ComposeFileSource>;
  configs: Record<string, ComposeFileSource>;
  /** Networks declared at the top level (kept raw: devenv only reads their names). */
  networks: Record<string, Record<string, unknown>>;
  /** Services left out because none of their profiles is enabled. */
  disabled: string[];
}

/** One service, every field in its long form. */
export interface ComposeService {
  name: string;
  /** `image:` as written (interpolated), if any. */
  image?: string;
  /** `build:` in long form, context absolute. */
  build?: ComposeBuild;
  /** `command:`; a string is split like a shell would (no `sh -c`). */
  command?: string[];
  /** `entrypoint:`; same splitting as `command`. */
  entrypoint?: string[];
  /** Final environment: env_file entries first, then `environment:`. `null` = declared, unset. */
  environment: Record<string, string | null>;
  /** Where each environment variable came from, e.g. `environment` or the env file's path. */
  environmentSource: Record<string, string>;
  /** Published ports (`ports:`). */
  ports: ComposePort[];
  /** Ports only reachable from other services (`expose:`). */
  expose: number[];
  /** Mounts: named volumes, bind mounts, tmpfs. */
  volumes: ComposeMount[];
  /** The `secrets:` and `configs:` the service is granted: files compose mounts into the container. */
  files: ComposeFileMount[];
  /** `depends_on:` in long form. */
  dependsOn: Record<string, ComposeDependency>;
  /** `healthcheck:`; `undefined` when none is declared. */
  healthcheck?: ComposeHealthcheck;
  /** `restart:` policy (`no`, `always`, `on-failure[:n]`, `unless-stopped`). */
  restart?: string;
  /** `deploy.replicas` (or legacy `scale`). */
  replicas?: number;
  /** `deploy.resources`. */
  resources?: ComposeResources;
  /** `profiles:`; empty = always enabled. */
  profiles: string[];
  /** `labels:` as a map. */
  labels: Record<string, string>;
  workingDir?: string;
  user?: string;
  /** Other names the service answers to on its networks: `container_name`, `hostname`, network
   *  `aliases`, `links` aliases. */
  aliases: string[];
  /** `extra_hosts` names (resolve to a fixed address). */
  extraHosts: string[];
  /** `network_mode` as written (`service:db` shares db's network namespace, as containers of one pod do). */
  networkMode?: string;
  /** `file:line` of each `environment` entry, port and the command, where known (for messages). */
  locations: Record<string, string>;
  /** The file that declared the service last (for messages). */
  file: string;
}

export interface ComposeBuild {
  /** Absolute build context directory (or a URL, kept as written). */
  context: string;
  /** Dockerfile path relative to the context. */
  dockerfile: string;
  target?: string;
  args: Record<string, string>;
}

export interface ComposePort {
  /** Container port. */
  target: number;
  /** Host port or range, as written (`8080`, `8080-8081`); absent when only the container port is given. */
  published?: string;
  hostIp?: string;
  protocol: "tcp" | "udp" | "sctp";
}

export interface ComposeMount {
  type: "volume" | "bind" | "tmpfs" | "npipe" | "image" | "cluster";
  /** Volume name (volume), absolute host path (bind); absent for anonymous volumes and tmpfs. */
  source?: string;
  /** Path inside the container. */
  target: string;
  readOnly: boolean;
}

/** A secret or config mounted as a file (compose-spec 05-services.md, `secrets` / `configs`). */
export interface ComposeFileMount {
  kind: "secret" | "config";
  /** Its name at the top level. */
  source: string;
  /** Absolute path in the container: `/run/secrets/<name>` for a secret, `/<name>` for a config, unless `target:` says otherwise. */
  target: string;
}

/** Where a top-level secret or config takes its content from (compose-spec 08-configs.md, 09-secrets.md). */
export interface ComposeFileSource {
  /** `file:`, absolute. */
  file?: string;
  /** `environment:`: the variable whose value is the content, and that value (unset: undefined). */
  environment?: string;
  value?: string;
  /** `content:` (configs), inline. */
  content?: string;
  /** `external: true`: the platform has it; compose does not create it. */
  external: boolean;
}

export type DependencyCondition = "service_started" | "service_healthy" | "service_completed_successfully";

export interface ComposeDependency {
  condition: DependencyCondition;
  /** `required: false` lets the dependant start without it. */
  required: boolean;
  restart: boolean;
}

export interface ComposeHealthcheck {
  /** `["CMD", ...]`, `["CMD-SHELL", "..."]` or `["NONE"]`; a string test becomes CMD-SHELL. */
  test: string[];
  /** Durations in milliseconds. */
  intervalMs?: number;
  timeoutMs?: number;
  startPeriodMs?: number;
  retries?: number;
  /** `disable: true` or test `["NONE"]`. */
  disabled: boolean;
}

export interface ComposeResources {
  limits?: ComposeResourceSet;
  reservations?: ComposeResourceSet;
}

export interface ComposeResourceSet {
  /** CPUs as a number of cores (`"0.5"` → 0.5). */
  cpus?: number;
  /** Memory in bytes (`512m` → 536870912). */
  memoryBytes?: number;
}

export interface ComposeVolume {
  name: string;
  external: boolean;
  driver?: string;
  labels: Record<string, string>;
}

// The shape of a compose file, checked with ajv before anything else reads it, so an unknown
// top-level key or a misspelt service key (`enviroment`) is an error at file:line (exit 2)
// instead of being ignored. A small schema of our own: the top-level keys and the service keys
// of the Compose Specification's JSON schema (github.com/compose-spec/compose-spec,
// schema/compose-spec.json at 170098ba07d9f53c383a41bfd4c5166b0a4529a6), with the types of the
// fields devenv reads. Everything else is left to the fields' own readers.
import { Ajv, type ErrorObject } from "ajv";
import { configError } from "../errors/devenv-error.js";
import { displayPath, type YamlDoc } from "../files/yaml.js";

const TOP_KEYS = ["version", "name", "include", "services", "models", "networks", "volumes", "secrets", "configs"];
export const SERVICE_KEYS = (
  "develop deploy annotations attach build blkio_config cap_add cap_drop cgroup cgroup_parent command configs container_name cpu_count cpu_percent cpu_shares cpu_quota cpu_period " +
  "cpu_rt_period cpu_rt_runtime cpus cpuset credential_spec depends_on device_cgroup_rules devices dns dns_opt dns_search domainname entrypoint env_file label_file environment expose " +
  "extends provider external_links extra_hosts gpus group_add healthcheck hostname image init ipc isolation labels links logging mac_address mem_limit mem_reservation mem_swappiness " +
  "memswap_limit network_mode models networks oom_kill_disable oom_score_adj pid pids_limit platform ports post_start pre_stop privileged profiles pull_policy pull_refresh_after read_only " +
  "restart runtime scale security_opt shm_size secrets sysctls stdin_open stop_grace_period stop_signal storage_opt tmpfs tty ulimits use_api_socket user uts userns_mode volumes volumes_from working_dir"
).split(" ");

const listOrMap = { type: ["object", "array", "null"] };
const stringOrList = { type: ["string", "array", "null"] };
const service = {
  type: ["object", "null"],
  properties: {
    image: { type: ["string", "null"] },
    build: { type: ["string", "object"] },
    command: stringOrList,
    entrypoint: stringOrList,
    environment: listOrMap,
    env_file: { type: ["string", "array", "null"] },
    ports: { type: ["array", "null"] },
    expose: { type: ["array", "null"] },
    volumes: { type: ["array", "null"] },
    depends_on: listOrMap,
    healthcheck: { type: ["object", "null"] },
    labels: listOrMap,
    networks: listOrMap,
    extra_hosts: listOrMap,
    profiles: { type: ["array", "null"] },
  },
  patternProperties: { "^x-": {} },
  additionalProperties: false,
};
const schema = {
  type: "object",
  properties: {
    version: { type: ["string", "number"] },
    name: { type: "string" },
    include: { type: ["array", "null"] },
    services: { type: ["object", "null"], additionalProperties: service },
    networks: { type: ["object", "null"] },
    volumes: { type: ["object", "null"] },
  },
  patternProperties: { "^x-": {} },
  additionalProperties: false,
};
for (const k of [...TOP_KEYS]) (schema.properties as Record<string, unknown>)[k] ??= {};
for (const k of SERVICE_KEYS) (service.properties as Record<string, unknown>)[k] ??= {};

// validateSchema off: the schema is this constant (compiling draft-07's meta-schema to check it cost
// ~250 ms of CPU on every command that reads a compose file).
const validate = new Ajv({ allErrors: true, strict: false, validateSchema: false }).compile(schema);

/** Throws a configError (exit 2) listing every shape error of `doc`, each at file:line. */
export function validateComposeShape(doc: YamlDoc): void {
  if (validate(doc.value)) return;
  const errors = (validate.errors ?? []).filter((e) => e.keyword === "additionalProperties" || e.keyword === "type");
  if (!errors.length) return;
  const lines = errors.map((e) => describe(e, doc));
  throw configError(`${displayPath(doc.file)} does not follow the Compose specification:\n  ${lines.map((l) => `${l.where}: ${l.message}`).join("\n  ")}`, lines[0]!.where, "fix the key (see https://github.com/compose-spec/compose-spec/blob/main/spec.md); custom keys must start with x-");
}

function describe(e: ErrorObject, doc: YamlDoc): { where: string; message: string } {
  const path = e.instancePath.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  const inService = path[0] === "services" && path.length === 2 ? ` in service "${path[1]}"` : "";
  if (e.keyword === "additionalProperties") {
    const key = String((e.params as { additionalProperty: string }).additionalProperty);
    const known = inService ? SERVICE_KEYS : TOP_KEYS;
    const near = closest(key, known);
    return { where: doc.whereKey ? doc.whereKey([...path, key]) : doc.where([...path, key]), message: `unknown ${inService ? "service" : "top-level"} key "${key}"${inService}${near ? ` (did you mean "${near}"?)` : ""}` };
  }
  return { where: doc.where(path), message: `${path.join(".") || "the file"} ${e.message ?? "has the wrong type"}` };
}

/** The known key within edit distance 2 of `key`, if any. */
function closest(key: string, known: string[]): string | undefined {
  let best: { k: string; d: number } | undefined;
  for (const k of known) {
    const d = distance(key, k);
    if (d <= 2 && (!best || d < best.d)) best = { k, d };
  }
  return best?.k;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

// Compose's override rules for merging canonical services (later file wins): maps merge by
// key, `ports`/`expose`/`env_file`/`dns` append, `volumes`, `secrets` and `configs` merge by target path, and
// `command`/`entrypoint`/`healthcheck.test` and other lists are replaced. Pure.
import { isMap, type Raw } from "./canonical.js";

const BY_KEY = new Set(["environment", "labels", "depends_on", "sysctls", "annotations", "extra_hosts"]);
const APPEND = new Set(["ports", "expose", "env_file", "dns", "dns_search", "cap_add", "cap_drop", "tmpfs", "external_links", "security_opt"]);

/**
 * `over` merged onto `base`; neither is modified. `written` is the override service as its file
 * wrote it (before canonical defaults): a build context or dockerfile it leaves out stays the
 * base's, as in Compose, which applies those defaults after merging the files.
 */
export function mergeService(base: Raw, over: Raw, written?: Raw): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (v === undefined) continue;
    if (BY_KEY.has(k) && isMap(b) && isMap(v)) out[k] = { ...b, ...v };
    else if (APPEND.has(k) && Array.isArray(b) && Array.isArray(v)) out[k] = uniqueByJson([...b, ...v]);
    else if ((k === "volumes" || k === "secrets" || k === "configs") && Array.isArray(b) && Array.isArray(v)) out[k] = mergeMounts(b, v);
    else if (k === "build" && isMap(b) && isMap(v)) out[k] = mergeBuild(b, v, written?.build);
    else if (isMap(b) && isMap(v)) out[k] = deepMerge(b, v);
    else out[k] = v;
  }
  return out;
}

/** Build args merge by key; context and dockerfile not written in the override keep the base's. */
function mergeBuild(b: Raw, v: Raw, written: unknown): Raw {
  const out: Raw = { ...deepMerge(b, v), args: { ...(b.args as Raw), ...(v.args as Raw) } };
  if (isMap(written)) for (const k of ["context", "dockerfile"]) if (!(k in written) && k in b) out[k] = b[k];
  return out;
}

/** Recursive map merge; lists and scalars in `over` replace. */
export function deepMerge(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isMap(b) && isMap(v) ? deepMerge(b, v) : v;
  }
  return out;
}

function mergeMounts(base: unknown[], over: unknown[]): unknown[] {
  const targets = new Set(over.map((m) => (isMap(m) ? m.target : m)));
  return [...base.filter((m) => !targets.has(isMap(m) ? m.target : m)), ...over];
}

function uniqueByJson(list: unknown[]): unknown[] {
  const seen = new Set<string>();
  return list.filter((x) => {
    const key = JSON.stringify(x);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

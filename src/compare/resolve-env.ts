// What environment a container really gets, per kubelet's rules: envFrom sources first (in
// order, with prefixes), then `env` entries; `$(VAR)` in an `env[].value` expands only when VAR
// was defined earlier (envFrom or an earlier env entry), `$$(VAR)` is an escaped literal, and
// values that come from a ConfigMap / Secret are never expanded. Pure.
import type { KubeObject } from "../steps/context.js";
import type { KContainer } from "./workloads.js";

export type EnvSource = "literal" | "configmap" | "secret" | "field" | "resource";

export interface ResolvedVar {
  /** The value the process sees; undefined when it comes from an object not in the manifests. */
  value?: string;
  source: EnvSource;
  /** `ConfigMap/name` or `Secret/name` (and key) the value comes from. */
  from?: string;
  /** `$(X)` references Kubernetes leaves literal. */
  unexpanded: string[];
  /** The value as written, before `$(VAR)` expansion (literal env values only). */
  raw?: string;
}

/** Every variable of `c`, in kubelet's precedence (later wins). */
export function resolveContainerEnv(c: KContainer, configMaps: Map<string, KubeObject>, secrets: Map<string, KubeObject>): Map<string, ResolvedVar> {
  const env = new Map<string, ResolvedVar>();
  for (const ef of c.envFrom ?? []) {
    const ref = ef.configMapRef ?? ef.secretRef;
    if (!ref) continue;
    const isSecret = Boolean(ef.secretRef);
    const obj = (isSecret ? secrets : configMaps).get(ref.name);
    const data = obj ? dataOf(obj) : {};
    for (const [k, v] of Object.entries(data)) {
      env.set(`${ef.prefix ?? ""}${k}`, { value: v, source: isSecret ? "secret" : "configmap", from: `${isSecret ? "Secret" : "ConfigMap"}/${ref.name}`, unexpanded: refsIn(v) });
    }
  }
  for (const e of c.env ?? []) {
    if (e.valueFrom) {
      env.set(e.name, fromValueRef(e.valueFrom, configMaps, secrets));
      continue;
    }
    const { value, unexpanded } = expand(e.value ?? "", (n) => env.get(n)?.value);
    env.set(e.name, { value, source: "literal", unexpanded, raw: e.value ?? "" });
  }
  return env;
}

function fromValueRef(vf: Record<string, any>, configMaps: Map<string, KubeObject>, secrets: Map<string, KubeObject>): ResolvedVar {
  if (vf.configMapKeyRef || vf.secretKeyRef) {
    const isSecret = Boolean(vf.secretKeyRef);
    const ref = (vf.secretKeyRef ?? vf.configMapKeyRef) as { name: string; key: string };
    const obj = (isSecret ? secrets : configMaps).get(ref.name);
    const value = obj ? dataOf(obj)[ref.key] : undefined;
    return { value, source: isSecret ? "secret" : "configmap", from: `${isSecret ? "Secret" : "ConfigMap"}/${ref.name}.${ref.key}`, unexpanded: value ? refsIn(value) : [] };
  }
  return { source: vf.fieldRef ? "field" : "resource", from: vf.fieldRef?.fieldPath ?? vf.resourceFieldRef?.resource, unexpanded: [] };
}

/** ConfigMap `data` or Secret `data` (base64) + `stringData`, as strings. */
export function dataOf(obj: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  const data = (obj.data ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(data)) out[k] = obj.kind === "Secret" ? Buffer.from(String(v), "base64").toString("utf8") : String(v);
  for (const [k, v] of Object.entries((obj.stringData ?? {}) as Record<string, unknown>)) out[k] = String(v);
  return out;
}

/** Kubernetes' expansion: `$(X)` → value when defined, `$$` → `$`, anything else literal. */
export function expand(input: string, lookup: (name: string) => string | undefined): { value: string; unexpanded: string[] } {
  let out = "";
  const unexpanded: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c !== "$" || i + 1 >= input.length) {
      out += c;
      continue;
    }
    const next = input[i + 1]!;
    if (next === "$") {
      out += "$";
      i++;
    } else if (next === "(") {
      const close = input.indexOf(")", i + 2);
      if (close < 0) {
        out += input.slice(i);
        break;
      }
      const name = input.slice(i + 2, close);
      const v = lookup(name);
      if (v === undefined) unexpanded.push(name);
      out += v ?? `$(${name})`;
      i = close;
    } else {
      out += c;
    }
  }
  return { value: out, unexpanded };
}

/** `$(X)` references in a value that is passed through unexpanded (ConfigMap/Secret data). */
function refsIn(value: string): string[] {
  return [...value.replace(/\$\$/g, "").matchAll(/\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g)].map((m) => m[1]!);
}

// Rules env.*: what each container really gets vs the compose environment. Host names compare
// by what they resolve to; secret values are shown as *** with whether they are equal.
import { envOf, ref, type RuleContext } from "../context.js";
import { canonicalHosts } from "../dns.js";
import type { Container } from "../../kube/pod-spec.js";
import type { ResolvedVar } from "../resolve-env.js";
import { looksSecret, shown } from "../../redact/secrets.js";

export function checkEnv(ctx: RuleContext): void {
  for (const { service: s, workload: w, container: c } of ctx.pairs) {
    if (!w || !c) continue;
    const k8s = envOf(ctx, w, c);
    const at = ref(w);
    let equal = 0;
    // An envFrom source not in the manifests may hold any variable; the kubelet does not start the
    // container without it unless it is optional (kubernetes/kubernetes@df5f0243
    // `pkg/kubelet/kubelet_pods.go` makeEnvironmentVariables).
    const unknown = unresolvedEnvFrom(ctx, c);
    let reported = false;
    for (const [name, value] of Object.entries(s.environment)) {
      if (value === null) continue;
      const r = k8s.get(name);
      const secret = looksSecret(name, value) || r?.source === "secret";
      if (!r && unknown.length) {
        reported = true;
        ctx.sink.add("env.unresolved", s.name, `${name} is set in compose (${shown(value, secret, name)}); in ${at} it can only come from ${unknown.join(", ")} (envFrom), which ${unknown.length > 1 ? "are" : "is"} not in the manifests`, { workload: at, variable: name, compose: shown(value, secret, name) });
        continue;
      }
      if (!r) {
        ctx.sink.add("env.missing", s.name, `${name} is set in compose (${shown(value, secret, name)}) but not in ${at}`, { workload: at, variable: name, compose: shown(value, secret, name) });
        continue;
      }
      if (checkVar(ctx, s.name, at, name, r)) continue;
      if (r.value === undefined) continue; // fieldRef / resourceFieldRef: runtime values
      if (canonicalHosts(value, ctx.dns) === canonicalHosts(r.value, ctx.dns)) equal++;
      else ctx.sink.add("env.value", s.name, `${name}: compose ${shown(value, secret, name)} ≠ k8s ${shown(r.value, secret, name)}${secret ? " (secret values differ)" : ""}${r.from ? ` from ${r.from}` : ""}`, { workload: at, variable: name, compose: shown(value, secret, name), k8s: shown(r.value, secret, name) });
    }
    const extra: string[] = [];
    // A variable the command line reads as $(NAME) (a secret argument moved into the Secret) is
    // part of that argv, which command.mismatch compares expanded: not an extra setting.
    const argv = [...(c.command ?? []), ...(c.args ?? [])].join(" ");
    for (const [name, r] of k8s) {
      if (name in s.environment && s.environment[name] !== null) continue;
      if (checkVar(ctx, s.name, at, name, r)) continue;
      if (argv.includes(`$(${name})`)) continue;
      if (r.source !== "field" && r.source !== "resource") extra.push(name);
    }
    if (unknown.length && !reported) ctx.sink.add("env.unresolved", s.name, `${at} takes its environment from ${unknown.join(", ")} (envFrom), which ${unknown.length > 1 ? "are" : "is"} not in the manifests: the container does not start without ${unknown.length > 1 ? "them" : "it"}`, { workload: at });
    if (extra.length) ctx.sink.add("env.extra", s.name, `only in ${at}: ${extra.join(", ")}`, { workload: at });
    if (equal) ctx.sink.ok(s.name, `env: ${equal} variable${equal === 1 ? "" : "s"} equal`);
  }
}

/** `Secret/x`, `ConfigMap/y` of the container's envFrom that are neither in the manifests nor optional. */
function unresolvedEnvFrom(ctx: RuleContext, c: Container): string[] {
  const out: string[] = [];
  for (const ef of c.envFrom ?? []) {
    const isSecret = Boolean(ef.secretRef);
    const src = ef.secretRef ?? ef.configMapRef;
    if (!src?.name || src.optional || (isSecret ? ctx.secrets : ctx.configMaps).has(src.name)) continue;
    out.push(`${isSecret ? "Secret" : "ConfigMap"}/${src.name}`);
  }
  return out;
}

/** Risks of one Kubernetes variable; true when its value cannot be compared. */
function checkVar(ctx: RuleContext, service: string, at: string, name: string, r: ResolvedVar): boolean {
  const secret = r.source === "secret" || looksSecret(name, r.value);
  // Credentials pulled in with $(VAR) come from wherever VAR comes from: judge what is written.
  const written = (r.raw ?? r.value)?.replace(/\$\([^)]*\)/g, "");
  if ((r.source === "configmap" || r.source === "literal") && looksSecret(name, written)) {
    ctx.sink.add("env.secret-in-plain", service, `${name} looks secret but is ${r.source === "configmap" ? `in ${r.from}` : "a plain value in the manifest"}`, { workload: at, variable: name });
  }
  if (r.unexpanded.length) {
    const why = r.source === "literal" ? `not declared earlier in the container's env` : `${r.from} values are never expanded`;
    ctx.sink.add("env.unexpanded-ref", service, `${name} contains ${r.unexpanded.map((v) => `$(${v})`).join(", ")}: Kubernetes leaves it literal (${why})`, { workload: at, variable: name, k8s: shown(r.value, secret, name) });
    return true;
  }
  if (r.generated) return true; // devenv generates it at `up`: present, value unknowable here
  if (r.value === undefined && (r.source === "configmap" || r.source === "secret")) {
    // The object may be there without the key (the container then fails to start).
    const [kind, rest = ""] = (r.from ?? "").split("/");
    const dot = rest.indexOf(".");
    const obj = dot > 0 ? (kind === "Secret" ? ctx.secrets : ctx.configMaps).get(rest.slice(0, dot)) : undefined;
    ctx.sink.add("env.unresolved", service, obj ? `${name} comes from ${kind}/${rest.slice(0, dot)}, which has no key "${rest.slice(dot + 1)}"` : `${name} comes from ${r.from}, which is not in the manifests`, { workload: at, variable: name });
    return true;
  }
  return false;
}

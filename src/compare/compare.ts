// The pure comparison: a loaded compose project and rendered Kubernetes objects in, every
// finding (with ignores applied) and every passed check out. No I/O except reading
// Dockerfiles for their HEALTHCHECK.
import type { ComposeProject } from "../compose/model.js";
import type { KubeObject } from "../model/index.js";
import { indexObjects, servicesFor, type ImageInfo, type RuleContext } from "./context.js";
import type { DnsScope } from "./dns.js";
import { FindingSink, type Finding } from "./findings.js";
import { matchServices } from "./match.js";
import { checkEnv } from "./rules/env.js";
import { checkHealth } from "./rules/health.js";
import { checkImageAndCommand } from "./rules/image-command.js";
import { checkOrder } from "./rules/order.js";
import { checkPorts } from "./rules/ports.js";
import { checkPresence } from "./rules/presence.js";
import { checkReachability } from "./rules/reach.js";
import { checkScale } from "./rules/scale.js";
import { checkVolumes } from "./rules/volumes.js";
import { byName, workloadsOf } from "./workloads.js";
import { dataOf, GENERATED } from "./resolve-env.js";
import { looksSecret } from "../redact/secrets.js";
import { sourceOf as sourceOfObject, sourceOfField } from "../kube/sources.js";

export interface CompareOptions {
  namespace?: string;
  /** compose service → workload name (devenv.ts compare.map). */
  map?: Record<string, string>;
  /** Rule ids ignored everywhere. */
  ignore?: string[];
  /** compose service → rule ids or `env.NAME` ignored for it. */
  ignoreFor?: Record<string, string[]>;
  images?: ImageInfo[];
  order?: Record<string, { after: string[] }>;
  /** devenv.ts `secrets` for Secrets the manifests do not ship: name → key → value (null: generated, unknown). */
  devSecrets?: Record<string, Record<string, string | null>>;
}

export interface ServiceReport {
  service: string;
  workload?: string;
  /** The container that plays the service. */
  container?: string;
  /** What the match was based on: map, name (workload), container, service (a Service's DNS name), label, image, suffix, reference or replica (another pod of a StatefulSet). */
  matchedBy?: string;
  passed: string[];
  findings: Finding[];
}

export interface CompareResult {
  equivalent: boolean;
  namespace: string;
  services: ServiceReport[];
  /** Every finding, ignored ones included (flagged). */
  findings: Finding[];
  summary: { services: number; workloads: number; errors: number; warnings: number; infos: number; ignored: number };
}

export function compareStacks(project: ComposeProject, manifests: KubeObject[], opts: CompareOptions = {}): CompareResult {
  const objects = [...manifests, ...devSecretObjects(manifests, opts.devSecrets ?? {})];
  const workloads = workloadsOf(objects);
  const images = opts.images ?? [];
  const { pairs, unmatched } = matchServices(project, workloads, { map: opts.map ?? {}, builtRepos: new Map(images.map((i) => [i.context.replace(/\/+$/, ""), i.repository])), services: objects.filter((o) => o.kind === "Service"), configMaps: byName(objects, "ConfigMap"), secrets: byName(objects, "Secret") });
  const index = indexObjects(objects, opts.namespace);
  const ctx: RuleContext = { project, objects, workloads, pairs, unmatched, images, order: opts.order ?? {}, sink: new FindingSink(), dns: { namespace: index.namespace, hosts: new Map() }, ...index };
  ctx.dns = dnsScope(ctx);
  rememberSecretValues(ctx);
  for (const rule of [checkPresence, checkImageAndCommand, checkEnv, checkReachability, checkPorts, checkHealth, checkVolumes, checkOrder, checkScale]) rule(ctx);

  const located = ctx.sink.findings.map((f) => locate(f, ctx)).map((f) => (f.workload === undefined ? f : { ...f, workload: scrubbed(ctx, f.workload) }));
  const findings = located.map((f) => (isIgnored(f, opts) ? { ...f, ignored: true } : f));
  const services: ServiceReport[] = pairs.map((p) => ({ service: p.service.name, workload: scrubbed(ctx, p.workload ? `${p.workload.kind}/${p.workload.name}` : p.replicaOf?.workload && `${p.replicaOf.workload.kind}/${p.replicaOf.workload.name}`), ...(p.container ? { container: ctx.sink.scrub(p.container.name), matchedBy: p.by } : p.replicaOf?.container ? { container: ctx.sink.scrub(p.replicaOf.container.name), matchedBy: "replica" } : {}), passed: ctx.sink.passed.get(p.service.name) ?? [], findings: findings.filter((f) => f.service === p.service.name) }));
  const known = new Set(services.map((s) => s.service));
  for (const f of findings.filter((x) => !known.has(x.service))) {
    let r = services.find((s) => s.service === f.service);
    if (!r) services.push((r = { service: f.service, workload: f.workload, passed: [], findings: [] }));
    r.findings.push(f);
  }
  const live = findings.filter((f) => !f.ignored);
  const count = (s: string) => live.filter((f) => f.severity === s).length;
  const summary = { services: pairs.length, workloads: workloads.length, errors: count("error"), warnings: count("warning"), infos: count("info"), ignored: findings.length - live.length };
  return { equivalent: summary.errors + summary.warnings === 0, namespace: index.namespace, services, findings, summary };
}

/** A workload's name goes through the same scrub as every printed string (secret content such as a
 *  token shape; remembered secret values are never names of the stack, see rememberSecretValues). */
const scrubbed = (ctx: RuleContext, text: string | undefined) => (text === undefined ? undefined : ctx.sink.scrub(text));

/** Values a report must never print, wherever they turn up: Secret data and compose variables that
 *  look secret. (Every value read from a Secret is `***` at its source, in the rules, whatever its
 *  key; this is the safety net, and leaves user names and database names in Secrets readable.) */
function rememberSecretValues(ctx: RuleContext): void {
  // A weak password equal to a name of the stack (POSTGRES_PASSWORD=postgres, MINIO_ACCESS_KEY=minio)
  // is not hunted inside every text: the name is printed as the service's name anyway, and `***:16`
  // for the image postgres:16 hides nothing. The variable's own value is still `***` (by name).
  const names = namesOfStack(ctx);
  const remember = (v: string) => {
    if (!names.has(v)) ctx.sink.addSecretValue(v);
  };
  for (const obj of ctx.secrets.values()) for (const [k, v] of Object.entries(dataOf(obj))) if (looksSecret(k, v)) remember(v);
  for (const s of Object.values(ctx.project.services)) for (const [k, v] of Object.entries(s.environment)) if (v !== null && looksSecret(k, v)) remember(v);
}

/** Service, workload and container names, and each path segment of every image's repository. */
function namesOfStack(ctx: RuleContext): Set<string> {
  const names = new Set<string>();
  const image = (ref: string | undefined) => ref?.split("@")[0]!.replace(/:[^/:]*$/, "").split("/").forEach((p) => names.add(p));
  for (const s of Object.values(ctx.project.services)) {
    names.add(s.name);
    image(s.image);
  }
  for (const w of ctx.workloads) {
    names.add(w.name);
    for (const c of w.containers) {
      names.add(c.name);
      image(c.image);
    }
  }
  return names;
}

/** Host names that mean a Service: Service names, and compose names → the Service of their workload. */
function dnsScope(ctx: RuleContext): DnsScope {
  const hosts = new Map<string, string>();
  for (const o of ctx.objects) if (o.kind === "Service") hosts.set(o.metadata.name, o.metadata.name);
  for (const p of ctx.pairs) {
    const svc = p.workload && servicesFor(ctx, p.workload)[0];
    hosts.set(p.service.name, svc?.metadata.name ?? hosts.get(p.service.name) ?? p.service.name);
  }
  return { namespace: ctx.namespace, hosts };
}

/** Secrets devenv creates at `up` from devenv.ts `secrets`; generated keys are marked, their values unknown here. */
function devSecretObjects(objects: KubeObject[], dev: Record<string, Record<string, string | null>>): KubeObject[] {
  const shipped = new Set(objects.filter((o) => o.kind === "Secret").map((o) => o.metadata.name));
  return Object.entries(dev)
    .filter(([name]) => !shipped.has(name))
    .map(([name, keys]) => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, annotations: { [GENERATED]: Object.keys(keys).filter((k) => keys[k] === null).join(",") } },
      stringData: Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== null)),
    }));
}

/** The field a finding is about, on both sides: the compose entry (`composeWhere`) and the
 *  container field in the manifest (`where`), as file:line where the files say. */
function locate(f: Finding, ctx: RuleContext): Finding {
  const pair = ctx.pairs.find((p) => p.service.name === f.service && p.workload && `${p.workload.kind}/${p.workload.name}` === f.workload);
  const w = pair?.workload ?? ctx.workloads.find((x) => `${x.kind}/${x.name}` === f.workload);
  const out: Finding = { ...f };
  const s = pair?.service ?? ctx.project.services[f.service];
  const family = f.rule.split(".")[0]!;
  if (s) {
    const key = f.variable ? `environment.${f.variable}` : f.rule === "volume.file-missing" ? `files.${f.compose?.slice(f.compose.indexOf(":") + 1)}` : family === "port" ? "ports.0" : family === "command" ? (s.locations.entrypoint && f.message.startsWith("entrypoint") ? "entrypoint" : "command") : family === "image" ? "image" : family === "health" ? "healthcheck" : undefined;
    // A variable compose does not declare (env.extra, a Kubernetes-only env.secret-in-plain) has no
    // compose field to point at: not the image line either.
    const composeless = f.variable !== undefined && !(f.variable in s.environment);
    const at = key && !composeless ? (s.locations[key] ?? s.locations.image) : undefined;
    if (at) out.composeWhere = at;
  }
  if (!w) return out;
  const c = pair?.container;
  const pod = w.kind === "CronJob" ? ".spec.jobTemplate.spec.template.spec" : w.kind === "Pod" ? ".spec" : ".spec.template.spec";
  const inC = c ? `${pod}.containers[name="${c.name}"]` : undefined;
  const field =
    !inC ? undefined
    : f.variable ? (c!.env?.some((e) => e.name === f.variable) ? `${inC}.env[name="${f.variable}"]` : c!.envFrom ? `${inC}.envFrom` : `${inC}.env`)
    : family === "port" ? `${inC}.ports`
    : family === "image" ? `${inC}.image`
    : family === "command" ? (f.message.startsWith("entrypoint") ? `${inC}.command` : `${inC}.args`)
    : family === "health" ? `${inC}.${c!.readinessProbe ? "readinessProbe" : c!.livenessProbe ? "livenessProbe" : "name"}`
    : family === "volume" ? `${inC}.volumeMounts`
    : family === "resources" ? `${inC}.resources`
    : f.rule === "replicas.mismatch" ? ".spec.replicas"
    : undefined;
  const where = (field && hasPath(w.object, field) ? sourceOfField(w.object, field) : undefined) ?? sourceOfObject(w.object);
  if (where) out.where = where;
  return out;
}

/** Whether every step of a sourceOfField path exists in `obj` (else it would point elsewhere). */
function hasPath(obj: unknown, path: string): boolean {
  let cur: unknown = obj;
  for (const m of path.matchAll(/\.([^.[\]]+)|\[(\w+)="([^"]*)"\]/g)) {
    if (m[1] !== undefined) cur = cur && typeof cur === "object" ? (cur as Record<string, unknown>)[m[1]] : undefined;
    else cur = Array.isArray(cur) ? cur.find((x) => x && typeof x === "object" && String((x as Record<string, unknown>)[m[2]!]) === m[3]) : undefined;
    if (cur === undefined) return false;
  }
  return true;
}

function isIgnored(f: Finding, opts: CompareOptions): boolean {
  const per = opts.ignoreFor?.[f.service] ?? [];
  const keys = [f.rule, f.rule.split(".")[0]!, ...(f.variable ? [`env.${f.variable}`] : [])];
  return keys.some((k) => (opts.ignore ?? []).includes(k) || per.includes(k));
}

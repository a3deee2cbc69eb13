// `devenv convert`, the pure part: a compose project → Kubernetes objects. Deployments (or
// StatefulSets for database images with data volumes, Jobs for one-shot services), Services,
// a ConfigMap and a Secret per service split by sensitivity, PVCs (ReadWriteMany when shared),
// probes from healthchecks, and the devenv.ts `order` entries the Jobs need.
import { readDockerfileHealthcheck } from "../compose/dockerfile-healthcheck.js";
import type { ComposeProject, ComposeService } from "../compose/model.js";
import { isOneShot, isStateful, volumeUsers } from "../compose/roles.js";
import { formatBytes, formatCpus } from "../compare/quantity.js";
import { referencedPorts } from "../compare/rules/reach.js";
import { looksSecret, MASK, redactArgv } from "../redact/secrets.js";
import type { KubeObject } from "../model/index.js";
import { probeFrom, prune } from "./probes.js";

export interface ConvertResult {
  /** Objects grouped by the file they go to (`<service>.yaml`, `volumes.yaml`). */
  files: Map<string, KubeObject[]>;
  /** devenv.ts `order` entries that keep compose's service_completed_successfully ordering where devenv's waves do not. */
  order: Record<string, { after: string[] }>;
  /** Things that have no Kubernetes equivalent (bind mounts...), for the user. */
  notes: string[];
}

export function convertProject(project: ComposeProject, opts: { namespace?: string } = {}): ConvertResult {
  const files = new Map<string, KubeObject[]>();
  const notes: string[] = [];
  const order: Record<string, { after: string[] }> = {};
  const users = volumeUsers(project);
  const shared = (v: string) => (users.get(v) ?? []).reduce((n, s) => n + (project.services[s]?.replicas ?? 1), 0) > 1;
  const meta = (name: string, labels?: Record<string, string>) => prune({ name, namespace: opts.namespace, labels });
  const pvcs: KubeObject[] = [];

  const reached = referencedPorts(Object.values(project.services));
  for (const s of Object.values(project.services)) {
    const labels = { "app.kubernetes.io/name": s.name };
    const kind = isOneShot(project, s) ? "Job" : isStateful(s) ? "StatefulSet" : "Deployment";
    const objs: KubeObject[] = [];
    const config: Record<string, string> = {};
    const secret: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.environment)) if (v !== null) (looksSecret(k, v) ? secret : config)[k] = v;
    // Secrets in the command line and the healthcheck go into the Secret too; the YAML refers to them.
    const hc = s.healthcheck ?? (s.build ? readDockerfileHealthcheck(s.build.context, s.build.dockerfile) : undefined);
    const rawProbe = hc && !hc.disabled && kind !== "Job" ? probeFrom(hc) : undefined;
    const hidden = new SecretArgs(s.name, secret);
    const command = hidden.argv(s.entrypoint);
    const args = hidden.argv(s.command);
    const probe = rawProbe && hidden.probe(rawProbe);
    const envFrom = [];
    if (Object.keys(config).length) {
      objs.push({ apiVersion: "v1", kind: "ConfigMap", metadata: meta(`${s.name}-config`, labels), data: config });
      envFrom.push({ configMapRef: { name: `${s.name}-config` } });
    }
    if (Object.keys(secret).length) {
      objs.push({ apiVersion: "v1", kind: "Secret", metadata: meta(`${s.name}-secret`, labels), type: "Opaque", stringData: secret });
      envFrom.push({ secretRef: { name: `${s.name}-secret` } });
    }
    // A service other services reach only by name (compose opens every port on the network) still
    // needs a Service in Kubernetes: on the ports they use.
    const declared = [...s.ports.map((p) => p.target), ...s.expose];
    const ports = [...new Set(declared.length ? declared : [s.name, ...s.aliases].flatMap((n) => reached.get(n.toLowerCase()) ?? []))].sort((a, b) => a - b);
    const volumes: Record<string, unknown>[] = [];
    const mounts: Record<string, unknown>[] = [];
    const templates: KubeObject[] = [];
    s.volumes.forEach((m, i) => {
      const name = m.source && m.type === "volume" ? m.source.replace(/[^a-z0-9-]/g, "-") : `tmp-${i}`;
      if (m.type === "bind") return notes.push(`${s.name}: bind mount ${m.source} → ${m.target} has no cluster equivalent (the code is in the image; devenv hot reload syncs it)`);
      mounts.push(prune({ name, mountPath: m.target, readOnly: m.readOnly || undefined }));
      if (m.type !== "volume" || !m.source) return volumes.push({ name, emptyDir: m.type === "tmpfs" ? { medium: "Memory" } : {} });
      const claim = { accessModes: [shared(m.source) ? "ReadWriteMany" : "ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } };
      if (kind === "StatefulSet" && !shared(m.source)) templates.push({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name }, spec: claim });
      else {
        volumes.push({ name, persistentVolumeClaim: { claimName: name } });
        if (!pvcs.some((p) => p.metadata.name === name)) pvcs.push({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: meta(name), spec: claim });
      }
    });
    const container = prune({
      name: s.name,
      image: imageOf(project, s),
      command,
      args,
      envFrom: envFrom.length ? envFrom : undefined,
      ports: ports.length ? ports.map((p) => ({ containerPort: p })) : undefined,
      readinessProbe: probe,
      livenessProbe: probe,
      resources: resourcesOf(s),
      volumeMounts: mounts.length ? mounts : undefined,
      workingDir: s.workingDir,
    });
    const podSpec = prune({ containers: [container], volumes: volumes.length ? volumes : undefined, restartPolicy: kind === "Job" ? (s.restart?.startsWith("on-failure") ? "OnFailure" : "Never") : undefined });
    const template = { metadata: { labels }, spec: podSpec };
    if (kind === "Job") objs.unshift({ apiVersion: "batch/v1", kind, metadata: meta(s.name, labels), spec: { backoffLimit: s.restart?.startsWith("on-failure") ? 6 : 0, template } });
    else objs.unshift({ apiVersion: "apps/v1", kind, metadata: meta(s.name, labels), spec: prune({ replicas: s.replicas ?? 1, serviceName: kind === "StatefulSet" ? s.name : undefined, selector: { matchLabels: labels }, template, volumeClaimTemplates: templates.length ? templates : undefined }) });
    if (ports.length && kind !== "Job") objs.splice(1, 0, { apiVersion: "v1", kind: "Service", metadata: meta(s.name, labels), spec: { selector: labels, ports: ports.map((p) => ({ name: `p${p}`, port: p, targetPort: p })) } });
    for (const [dep, d] of Object.entries(s.dependsOn)) {
      // devenv's waves already run Jobs to completion before Deployments; others need an entry.
      if (d.condition === "service_completed_successfully" && project.services[dep] && kind !== "Deployment") (order[`${kind.toLowerCase()}/${s.name}`] ??= { after: [] }).after.push(`job/${dep}`);
    }
    files.set(`${s.name}.yaml`, objs);
  }
  if (pvcs.length) files.set("volumes.yaml", pvcs);
  return { files, order, notes };
}

/** Moves secret values out of a container's command line and probes into its Secret's data:
 *  `$(VAR)` in command/args (Kubernetes expands it from the container's env), `${VAR}` in shell
 *  probes (the shell expands it). Values already in the Secret keep their variable name; other
 *  secrets (a `--requirepass x`, a URL password) get `<SERVICE>_SECRET_<n>`. */
class SecretArgs {
  private n = 0;
  constructor(
    private readonly service: string,
    private readonly secret: Record<string, string>,
  ) {}

  argv(argv: string[] | undefined, shell = false): string[] | undefined {
    if (!argv) return argv;
    const ref = (k: string) => (shell ? `\${${k}}` : `$(${k})`);
    const known = Object.entries(this.secret).filter(([, v]) => v.length >= 3 && looksSecret("SECRET", v)).sort((a, b) => b[1].length - a[1].length);
    const replaced = argv.map((a) => known.reduce((acc, [k, v]) => acc.split(v).join(ref(k)), a));
    const masked = redactArgv(replaced);
    return replaced.map((a, i) => (masked[i] === a ? a : secretSpans(a, masked[i]!).reduceRight((acc, [from, to]) => acc.slice(0, from) + ref(this.keyFor(acc.slice(from, to))) + acc.slice(to), a)));
  }

  probe(p: Record<string, unknown>): Record<string, unknown> {
    const cmd = (p.exec as { command?: string[] } | undefined)?.command;
    if (!cmd) return p;
    const shellForm = cmd.length === 3 && cmd[0] === "sh" && cmd[1] === "-c";
    const hidden = shellForm ? [cmd[0]!, cmd[1]!, this.argv([cmd[2]!], true)![0]!] : this.argv(cmd, true)!;
    if (hidden.every((w, i) => w === cmd[i])) return p;
    // Kubernetes does not expand $(VAR) in probes: a shell reads the variable from the container's env.
    return { ...p, exec: { command: ["sh", "-c", shellForm ? hidden[2]! : hidden.map(shellWord).join(" ")] } };
  }

  private keyFor(value: string): string {
    const existing = Object.entries(this.secret).find(([, v]) => v === value)?.[0];
    if (existing) return existing;
    let key: string;
    do key = `${this.service.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}_SECRET_${++this.n}`;
    while (key in this.secret);
    this.secret[key] = value;
    return key;
  }
}

/** Start/end offsets in `original` of the parts `masked` shows as `***`. */
function secretSpans(original: string, masked: string): [number, number][] {
  const parts = masked.split(MASK);
  const spans: [number, number][] = [];
  let at = parts[0]!.length;
  for (let i = 1; i < parts.length; i++) {
    const next = parts[i]!;
    const end = i === parts.length - 1 ? original.length - next.length : original.indexOf(next, at);
    if (end < at) return [[0, original.length]];
    spans.push([at, end]);
    at = end + next.length;
  }
  return spans;
}

/** A word for a `sh -c` line; `${VAR}` references stay expandable. */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `"${w.replace(/["\\`]/g, "\\$&")}"`;
}

/** The image the workload runs: compose `image:`, else the name compose gives a built image. */
function imageOf(project: ComposeProject, s: ComposeService): string {
  return s.image ?? `${project.name ?? "app"}-${s.name}`;
}

function resourcesOf(s: ComposeService): Record<string, unknown> | undefined {
  const set = (r?: { cpus?: number; memoryBytes?: number }) => (r && (r.cpus !== undefined || r.memoryBytes !== undefined) ? prune({ cpu: r.cpus === undefined ? undefined : formatCpus(r.cpus), memory: r.memoryBytes === undefined ? undefined : formatBytes(r.memoryBytes) }) : undefined);
  const limits = set(s.resources?.limits);
  const requests = set(s.resources?.reservations);
  return limits || requests ? prune({ limits, requests }) : undefined;
}

// `devenv convert`, the pure part: a compose project → Kubernetes objects. Deployments (or
// StatefulSets for database images with data volumes, Jobs for one-shot services), Services,
// a ConfigMap and a Secret per service split by sensitivity, PVCs (ReadWriteMany when shared),
// probes from healthchecks, and the devenv.ts `order` entries the Jobs need. Bind mounts follow
// mounts.ts (config → ConfigMap, code dropped and its uses flagged), Service shapes kompose's
// labels (service-type.ts); every name another service reaches gets a Service, protocols kept;
// compose secrets and configs become a Secret / ConfigMap mounted as the same file (file-grants.ts).
import { basename, relative, sep } from "node:path";
import { readDockerfileHealthcheck } from "../compose/dockerfile-healthcheck.js";
import { kubeName } from "../compose/kube-name.js";
import type { ComposeProject, ComposeService } from "../compose/model.js";
import { isOneShot, isStateful, networkOwner, volumeUsers } from "../compose/roles.js";
import { formatBytes, formatCpus } from "../compare/quantity.js";
import { hostsIn, referencedPorts } from "../compare/rules/reach.js";
import { looksSecret, MASK, redactArgv } from "../redact/secrets.js";
import type { KubeObject } from "../model/index.js";
import { FileGrants } from "./file-grants.js";
import { planBindMount, readHostTree, usesOfDropped, type HostTree } from "./mounts.js";
import { probeFrom, prune } from "./probes.js";
import { kubeServiceOf } from "./service-type.js";

export interface ConvertResult {
  /** Objects grouped by the file they go to (`<service>.yaml`, `volumes.yaml`). */
  files: Map<string, KubeObject[]>;
  /** devenv.ts `order` entries that keep compose's service_completed_successfully ordering where devenv's waves do not. */
  order: Record<string, { after: string[] }>;
  /** Things that have no Kubernetes equivalent (bind mounts...), for the user. */
  notes: string[];
  /** What will not work as in compose: a probe or command using a path of a dropped mount. */
  warnings: string[];
}

export interface ConvertOptions {
  namespace?: string;
  /** Reads a bind mount's source (default: the host's file system). */
  readHost?: (source: string) => HostTree;
}

export function convertProject(project: ComposeProject, opts: ConvertOptions = {}): ConvertResult {
  const files = new Map<string, KubeObject[]>();
  const notes: string[] = [];
  const warnings: string[] = [];
  const readHost = opts.readHost ?? readHostTree;
  const names = new Set(Object.keys(project.services).map(kubeName).flatMap((n) => [n, `${n}-config`, `${n}-secret`]));
  const uniqueName = (base: string) => {
    const b = base.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "mount";
    let n = b;
    for (let i = 2; names.has(n); i++) n = `${b}-${i}`;
    names.add(n);
    return n;
  };
  const order: Record<string, { after: string[] }> = {};
  const users = volumeUsers(project);
  const shared = (v: string) => (users.get(v) ?? []).reduce((n, s) => n + (project.services[s]?.replicas ?? 1), 0) > 1;
  // A host directory bind-mounted by several services (or replicas) is one directory they all
  // see (a log directory one writes and another tails): it becomes one claim, ReadWriteMany.
  const bindUsers = new Map<string, number>();
  for (const o of Object.values(project.services)) {
    for (const src of new Set(o.volumes.filter((m) => m.type === "bind" && m.source).map((m) => m.source!))) bindUsers.set(src, (bindUsers.get(src) ?? 0) + (o.replicas ?? 1));
  }
  const bindClaims = new Map<string, { name: string; by: string }>();
  const meta = (name: string, labels?: Record<string, string>) => prune({ name, namespace: opts.namespace, labels });
  const pvcs: KubeObject[] = [];
  const grants = new FileGrants(project, readHost, uniqueName, (name) => meta(name));

  const reached = referencedPorts(Object.values(project.services));
  // Names other services reach a service by (env host names, depends_on, links): compose resolves
  // each on its network, Kubernetes only a Service's name.
  const reachedBy = new Map<string, Set<string>>();
  for (const o of Object.values(project.services)) {
    const hosts = new Set(Object.keys(o.dependsOn).map((d) => d.toLowerCase()));
    for (const [k, v] of Object.entries(o.environment)) if (v) for (const h of hostsIn(k, v)) hosts.add(h);
    for (const h of hosts) (reachedBy.get(h) ?? reachedBy.set(h, new Set()).get(h)!).add(o.name);
  }
  const isReached = (s: ComposeService, n: string) => [...(reachedBy.get(n.toLowerCase()) ?? [])].some((by) => by !== s.name);
  const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
  for (const s of Object.values(project.services)) {
    // Object and container names must be DNS labels (`NGINX`, `front_end` are not); the label
    // keeps the compose name, which compare-compose pairs by.
    const k = kubeName(s.name);
    if (k !== s.name) notes.push(`${s.name}: not a valid Kubernetes name: its objects are named ${k}${[...(reachedBy.get(s.name.toLowerCase()) ?? [])].some((b) => b !== s.name) ? `, and the services reaching it as ${s.name} must use ${k}` : ""}`);
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
      objs.push({ apiVersion: "v1", kind: "ConfigMap", metadata: meta(`${k}-config`, labels), data: config });
      envFrom.push({ configMapRef: { name: `${k}-config` } });
    }
    if (Object.keys(secret).length) {
      objs.push({ apiVersion: "v1", kind: "Secret", metadata: meta(`${k}-secret`, labels), type: "Opaque", stringData: secret });
      envFrom.push({ secretRef: { name: `${k}-secret` } });
    }
    // A service other services reach only by name (compose opens every port on the network) still
    // needs a Service in Kubernetes: on the ports they use.
    const declared = [...s.ports.map((p) => `${p.target}/${p.protocol}`), ...s.expose.map((p) => `${p}/tcp`)];
    const ports = [...new Set(declared.length ? declared : [s.name, ...s.aliases].flatMap((n) => (reached.get(n.toLowerCase()) ?? []).map((p) => `${p}/tcp`)))]
      .map((k) => ({ port: Number(k.split("/")[0]), protocol: k.split("/")[1]!.toUpperCase() }))
      .sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
    const volumes: Record<string, unknown>[] = [];
    const mounts: Record<string, unknown>[] = [];
    const templates: KubeObject[] = [];
    const dropped: { target: string; note: string }[] = [];
    s.volumes.forEach((m, i) => {
      const name = m.source && m.type === "volume" ? m.source.replace(/[^a-z0-9-]/g, "-") : `tmp-${i}`;
      if (m.type === "bind") {
        const plan = planBindMount(project, s, m, readHost(m.source ?? ""), uniqueName(`${k}-${basename(m.source ?? "") || "root"}`));
        notes.push(plan.note);
        const vname = `bind-${i}`;
        if (plan.kind === "dropped") {
          if (!plan.inImage) dropped.push({ target: m.target, note: plan.note });
        } else if (plan.kind === "hostPathSocket") {
          volumes.push({ name: vname, hostPath: { path: "/var/run/docker.sock", type: "Socket" } });
          mounts.push({ name: vname, mountPath: m.target });
        } else if (plan.kind === "hostPath") {
          volumes.push({ name: vname, hostPath: { path: plan.path } });
          mounts.push(prune({ name: vname, mountPath: m.target, readOnly: m.readOnly || undefined }));
        } else if (plan.kind === "pvc") {
          const claim = bindClaims.get(m.source!);
          if (claim) notes[notes.length - 1] = plan.note.replace(/ becomes PersistentVolumeClaim\/.*$/, ` shares PersistentVolumeClaim/${claim.name} with ${claim.by}: the same host directory`);
          else {
            bindClaims.set(m.source!, { name: plan.name, by: s.name });
            pvcs.push({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: meta(plan.name), spec: { accessModes: [(bindUsers.get(m.source!) ?? 1) > 1 ? "ReadWriteMany" : "ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } });
          }
          volumes.push({ name: vname, persistentVolumeClaim: { claimName: claim?.name ?? plan.name } });
          mounts.push(prune({ name: vname, mountPath: m.target, readOnly: m.readOnly || undefined }));
        } else {
          objs.push(prune({ apiVersion: "v1", kind: "ConfigMap", metadata: meta(plan.name, labels), data: Object.keys(plan.data).length ? plan.data : undefined, binaryData: Object.keys(plan.binaryData).length ? plan.binaryData : undefined }));
          volumes.push({ name: vname, configMap: prune({ name: plan.name, items: plan.items, defaultMode: plan.executable ? 0o755 : undefined }) });
          mounts.push(prune({ name: vname, mountPath: m.target, subPath: plan.subPath, readOnly: true }));
        }
        return;
      }
      mounts.push(prune({ name, mountPath: m.target, readOnly: m.readOnly || undefined }));
      if (m.type !== "volume" || !m.source) return volumes.push({ name, emptyDir: m.type === "tmpfs" ? { medium: "Memory" } : {} });
      const claim = { accessModes: [shared(m.source) ? "ReadWriteMany" : "ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } };
      if (kind === "StatefulSet" && !shared(m.source)) templates.push({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name }, spec: claim });
      else {
        volumes.push({ name, persistentVolumeClaim: { claimName: name } });
        if (!pvcs.some((p) => p.metadata.name === name)) pvcs.push({ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: meta(name), spec: claim });
      }
    });
    const granted = grants.mount(s);
    volumes.push(...granted.volumes);
    mounts.push(...granted.mounts);
    if (s.build && !s.image) notes.push(`${s.name}: built by compose without image:, so it runs as ${imageOf(project, s)} (the name compose gives the build); to have devenv build it, add to devenv.ts images: { "${s.name}": { image: "${imageOf(project, s)}", context: "${relPath(project.workingDir, s.build.context)}" } }`);
    const container = prune({
      name: k,
      image: imageOf(project, s),
      command,
      args,
      envFrom: envFrom.length ? envFrom : undefined,
      ports: ports.length ? ports.map((p) => prune({ containerPort: p.port, protocol: p.protocol === "TCP" ? undefined : p.protocol })) : undefined,
      readinessProbe: probe,
      livenessProbe: probe,
      resources: resourcesOf(s),
      volumeMounts: mounts.length ? mounts : undefined,
      workingDir: s.workingDir,
    });
    const podSpec = prune({ containers: [container], volumes: volumes.length ? volumes : undefined, restartPolicy: kind === "Job" ? (s.restart?.startsWith("on-failure") ? "OnFailure" : "Never") : undefined });
    const template = { metadata: { labels }, spec: podSpec };
    if (kind === "Job") objs.unshift({ apiVersion: "batch/v1", kind, metadata: meta(k, labels), spec: { backoffLimit: s.restart?.startsWith("on-failure") ? 6 : 0, template } });
    else objs.unshift({ apiVersion: "apps/v1", kind, metadata: meta(k, labels), spec: prune({ replicas: s.replicas ?? 1, serviceName: kind === "StatefulSet" ? k : undefined, selector: { matchLabels: labels }, template, volumeClaimTemplates: templates.length ? templates : undefined }) });
    // A path of a dropped mount (one the image does not bring) used by the probe, command or
    // entrypoint, or the working directory: it is not there in the cluster.
    for (const d of dropped) {
      const uses = usesOfDropped(d.target, { healthcheck: hc && !hc.disabled ? hc.test.slice(1) : undefined, command: s.command, entrypoint: s.entrypoint, working_dir: s.workingDir ? [s.workingDir] : undefined });
      for (const [field, path] of uses) warnings.push(`${s.name}: the ${field} uses ${path}, from a bind mount convert dropped (${d.target}): ${field === "healthcheck" ? "the probe never passes" : "it is missing"} in the cluster; put the file into the image, or mount it from a ConfigMap`);
    }
    // A Service for the ports it declares or is reached on; a service reached by name on no known
    // port gets a headless Service without ports (the name resolves to the pod, every port open, as
    // on a compose network). Aliases others use get a Service of their own.
    const headless = s.labels["kompose.service.type"]?.trim().toLowerCase() === "headless";
    const svcNames = kind === "Job" ? [] : [k, ...s.aliases.filter((a) => a !== s.name && a !== k && DNS_LABEL.test(a) && !project.services[a] && isReached(s, a))].filter((_n, i) => i > 0 || ports.length > 0 || headless || isReached(s, s.name));
    const svc = kubeServiceOf(s, kind === "Job" ? [] : ports, k);
    notes.push(...svc.notes);
    for (const [i, name] of svcNames.entries()) {
      if (i > 0 && names.has(name)) continue;
      names.add(name);
      const spec = ports.length
        ? prune({ type: svc.type, clusterIP: svc.clusterIP, externalTrafficPolicy: svc.externalTrafficPolicy, selector: labels, ports: ports.map((p, j) => prune({ name: p.protocol === "TCP" ? `p${p.port}` : `p${p.port}-${p.protocol.toLowerCase()}`, port: p.port, targetPort: p.port, protocol: p.protocol === "TCP" ? undefined : p.protocol, nodePort: j === 0 && i === 0 ? svc.nodePort : undefined })) })
        : { clusterIP: "None", selector: labels };
      objs.splice(1 + i, 0, { apiVersion: "v1", kind: "Service", metadata: meta(name, labels), spec });
      if (i > 0) notes.push(`${s.name}: Service/${name} for the alias ${name} other services use`);
    }
    if (!ports.length && svcNames.length && !headless) notes.push(`${s.name}: reached by name (by ${[...(reachedBy.get(s.name.toLowerCase()) ?? [])].filter((b) => b !== s.name).join(", ")}) on no port compose declares: a headless Service without ports makes the name resolve to the pod, every port open`);
    if (svc.ingress && svcNames.length) objs.splice(1 + svcNames.length, 0, { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: meta(k, labels), spec: svc.ingress(ports.find((p) => p.protocol === "TCP")?.port ?? ports[0]!.port) });
    for (const [dep, d] of Object.entries(s.dependsOn)) {
      // devenv's waves already run Jobs to completion before Deployments; others need an entry.
      if (d.condition === "service_completed_successfully" && project.services[dep] && kind !== "Deployment") (order[`${kind.toLowerCase()}/${k}`] ??= { after: [] }).after.push(`job/${kubeName(dep)}`);
    }
    files.set(`${s.name}.yaml`, objs);
  }
  joinNetworkOwners(project, files, notes);
  if (pvcs.length) files.set("volumes.yaml", pvcs);
  if (grants.objects.length) files.set("files.yaml", grants.objects);
  return { files, order, notes: [...notes, ...grants.notes], warnings };
}

type PodSpec = { containers: Record<string, unknown>[]; volumes?: Record<string, unknown>[] };

/** `network_mode: service:X` joins X's network namespace (compose-spec 05-services.md): the
 *  service reaches X on localhost, and X's published ports serve both. Containers of one pod
 *  share their network namespace the same way, so the service becomes a container of X's pod
 *  (its volumes renamed to stay apart), with no workload or Service of its own: compose gives it
 *  no name on the network either. */
function joinNetworkOwners(project: ComposeProject, files: Map<string, KubeObject[]>, notes: string[]): void {
  const podOf = (o: KubeObject | undefined) => (o && o.kind !== "Job" ? (o.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec : undefined);
  for (const s of Object.values(project.services)) {
    const owner = networkOwner(s);
    const o = owner ? project.services[owner] : undefined;
    if (!o || o === s || networkOwner(o)) continue;
    const mine = files.get(`${s.name}.yaml`) ?? [];
    const theirs = files.get(`${o.name}.yaml`) ?? [];
    const [w, x] = [mine[0], theirs[0]];
    const [sp, xp] = [podOf(w), podOf(x)];
    if (!w || !x || !sp || !xp || (w.spec as { volumeClaimTemplates?: unknown }).volumeClaimTemplates) {
      notes.push(`${s.name}: shares ${o.name}'s network (network_mode: service:${o.name}), but one of them is a Job or keeps its data in a volumeClaimTemplate: converted as a workload of its own, which does not reach ${o.name} on localhost`);
      continue;
    }
    const k = kubeName(s.name);
    const renamed = new Map<string, string>();
    for (const v of sp.volumes ?? []) {
      const name = `${k}-${String(v.name)}`.slice(0, 63).replace(/-+$/, "");
      renamed.set(String(v.name), name);
      v.name = name;
    }
    for (const c of sp.containers) for (const m of (c.volumeMounts as Record<string, unknown>[] | undefined) ?? []) m.name = renamed.get(String(m.name)) ?? m.name;
    xp.containers.push(...sp.containers);
    if (sp.volumes?.length) xp.volumes = [...(xp.volumes ?? []), ...sp.volumes];
    const rest = mine.filter((obj) => obj !== w && obj.kind !== "Service" && obj.kind !== "Ingress");
    if (rest.length) files.set(`${s.name}.yaml`, rest);
    else files.delete(`${s.name}.yaml`);
    notes.push(`${s.name}: shares ${o.name}'s network (network_mode: service:${o.name}): it runs as container ${k} in the pod of ${x.kind}/${x.metadata.name}, where it reaches ${o.name} on localhost as in compose`);
  }
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
    const replaced = argv.map((a) => known.reduce((acc, [k, v]) => replaceWord(acc, v, ref(k)), a));
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

/** `value` replaced where it stands as a word of its own (an argument, a shell word, after `=` or
 *  `:`, before `@`), not inside a longer word: a password `postgres` is not the `postgres` of
 *  `/healthchecks/postgres.sh`. */
function replaceWord(text: string, value: string, by: string): string {
  const esc = value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return text.replace(new RegExp(`(^|[\\s=:'"])${esc}(?=$|[\\s@'";&|])`, "g"), (_m, pre: string) => pre + by);
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

/** The image the workload runs: compose `image:`, else the name compose gives a built image,
 *  `<project>-<service>` (the project named by `name:`, else by the compose file's directory,
 *  normalised as compose does), which compare-compose accepts for a built service. */
export function imageOf(project: ComposeProject, s: ComposeService): string {
  if (s.image) return s.image;
  const dirName = basename(project.workingDir).toLowerCase().replace(/[^a-z0-9_-]/g, "");
  return `${project.name ?? (dirName || "app")}-${s.name}`;
}

function relPath(from: string, to: string): string {
  if (/^[a-z]+:\/\//i.test(to)) return to;
  const r = relative(from, to).split(sep).join("/");
  return r === "" ? "." : r.startsWith("..") ? to : `./${r}`;
}

function resourcesOf(s: ComposeService): Record<string, unknown> | undefined {
  const set = (r?: { cpus?: number; memoryBytes?: number }) => (r && (r.cpus !== undefined || r.memoryBytes !== undefined) ? prune({ cpu: r.cpus === undefined ? undefined : formatCpus(r.cpus), memory: r.memoryBytes === undefined ? undefined : formatBytes(r.memoryBytes) }) : undefined);
  const limits = set(s.resources?.limits);
  const requests = set(s.resources?.reservations);
  return limits || requests ? prune({ limits, requests }) : undefined;
}

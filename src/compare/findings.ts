// What compare-compose reports: findings with a stable rule id, a severity and a fix hint, and
// the checks that passed (the ✓ lines). The catalog is the single list of rules.

import { looksSecret, MASK, redactText } from "../redact/secrets.js";
import type { CompareRuleId } from "../config/compare-rules.js";

export type Severity = "error" | "warning" | "info";

export const RULES = {
  "service.missing": { severity: "error", hint: "add a workload for it (a Job for one-shot services), or map it in devenv.ts compare.map" },
  "workload.missing": { severity: "warning", hint: "add the service to the compose file, or ignore the rule for it in devenv.ts compare.ignoreFor" },
  "service.kind": { severity: "warning", hint: "one-shot compose services (restart: \"no\", or waited for with service_completed_successfully) should be Jobs; long-running ones Deployments/StatefulSets" },
  "service.network": { severity: "error", hint: "a service that joins another's network (network_mode: service:X) reaches it on localhost: run it as a container of the same pod as X's container (containers of one pod share the network namespace)" },
  "container.extra": { severity: "info", hint: "a sidecar only the cluster runs: add it to compose if the app needs it, or ignore the rule for the service" },
  "image.mismatch": { severity: "error", hint: "use the same image repository on both sides (tags may differ), or build both from the same context (devenv.ts images)" },
  "env.missing": { severity: "error", hint: "add the variable to the container's env (a Secret for sensitive values, a ConfigMap otherwise)" },
  "env.extra": { severity: "info", hint: "set it in compose too if the application reads it" },
  "env.value": { severity: "error", hint: "make the values equal; host names may differ only in their DNS form (svc, svc.ns, svc.ns.svc.cluster.local)" },
  "env.unresolved": { severity: "warning", hint: "the value comes from an object not in the manifests: add it, or declare a dev value under devenv.ts secrets" },
  "env.unexpanded-ref": { severity: "error", hint: "Kubernetes expands $(VAR) only in env[].value and only for variables defined EARLIER in the same container or derived from a Service of the namespace that has a cluster IP (<SVC>_SERVICE_HOST, <SVC>_SERVICE_PORT): declare VAR above it, or write the value out" },
  "env.secret-in-plain": { severity: "warning", hint: "move the variable to a Secret and reference it with envFrom.secretRef or valueFrom.secretKeyRef" },
  "env.unreachable-host": { severity: "error", hint: "point it at a name that resolves on that side: a compose service (or alias, extra_hosts) in compose, a Service in the same namespace (or svc.ns) in Kubernetes" },
  "port.mismatch": { severity: "error", hint: "declare the same container ports (compose ports/expose ↔ containerPort)" },
  "port.service": { severity: "error", hint: "point the Service's targetPort at a port the container listens on" },
  "port.undeclared": { severity: "warning", hint: "declare the port on the container (containerPort) if the process listens there, or point the targetPort at a declared port" },
  "port.no-service": { severity: "warning", hint: "add a Service selecting the pods, or the missing port to it, so other workloads reach it by name on that port like in compose" },
  "health.mismatch": { severity: "error", hint: "probe the same endpoint as the compose healthcheck / Dockerfile HEALTHCHECK" },
  "health.missing": { severity: "warning", hint: "add a readinessProbe matching the compose healthcheck" },
  "volume.missing": { severity: "error", hint: "mount a PersistentVolumeClaim at the same path (named volumes hold data that must survive restarts)" },
  "volume.not-persistent": { severity: "warning", hint: "use a PersistentVolumeClaim instead of emptyDir for a compose named volume" },
  "volume.persistent": { severity: "warning", hint: "an anonymous compose volume starts empty with each container: mount an emptyDir, or give the volume a name in compose if its data must persist" },
  "volume.rwx-needed": { severity: "error", hint: "the volume is shared by several services/pods: give the PVC accessModes [ReadWriteMany] and an RWX storage class (devenv's nfs addon)" },
  "volume.docker-socket": { severity: "error", hint: "the service starts containers through the Docker socket: mount it on both sides (compose `/var/run/docker.sock:/var/run/docker.sock`, Kubernetes a hostPath volume of type Socket; devenv mounts the host's socket into kind/k3d nodes)" },
  "volume.file-missing": { severity: "error", hint: "mount the compose secret (a Secret) or config (a ConfigMap) at the same path: a volume with the entry's key and `subPath`, so the path is a file" },
  "volume.bind-mount": { severity: "info", hint: "bind mounts of source code are a dev convenience; in the cluster the code is in the image (devenv hot reload syncs it)" },
  "order.missing": { severity: "error", hint: "run it as a Job and order the dependant after it: devenv.ts order { \"deployment/NAME\": { after: [\"job/JOB\"] } } or an initContainer that waits" },
  "command.mismatch": { severity: "error", hint: "compose entrypoint ↔ container command, compose command ↔ container args: make them equal" },
  "replicas.mismatch": { severity: "warning", hint: "set deploy.replicas in compose to the workload's replicas (or within the HPA's range)" },
  "resources.mismatch": { severity: "warning", hint: "compose deploy.resources.limits ↔ resources.limits, reservations ↔ requests" },
  "hpa.no-requests": { severity: "warning", hint: "an HPA's Utilization target is a share of the containers' requests: give every container of the target resources.requests for the metric's resource (and compose deploy.resources.reservations to match)" },
} as const satisfies Record<CompareRuleId, { severity: Severity; hint: string }>;

export type RuleId = keyof typeof RULES;

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** Compose service (or, for workload.missing, the workload name). */
  service: string;
  /** `Kind/name` of the matched workload. */
  workload?: string;
  /** Where the workload is written: the container field's `file:line:col` when known, else the object's `file:line`, or the kustomize directory. */
  where?: string;
  /** Where the compose side is written: the env entry, port, command or image, `file:line:col`. */
  composeWhere?: string;
  message: string;
  hint: string;
  /** Compose-side value (secrets: `***`). */
  compose?: string;
  /** Kubernetes-side value (secrets: `***`). */
  k8s?: string;
  /** The environment variable concerned, for `env.*` rules (ignorable as `env.NAME`). */
  variable?: string;
  /** Set when an ignore setting silenced it. */
  ignored?: boolean;
}

/** Collects findings and passed checks while rules run. Every text passes through the masking
 *  function, and every known secret value (Secret data, compose variables named like secrets) is
 *  replaced by `***` wherever it appears: a report never carries a secret, whatever a rule printed. */
export class FindingSink {
  readonly findings: Finding[] = [];
  readonly passed = new Map<string, string[]>();
  private readonly secretValues = new Set<string>();
  /** secretValues longest first, built once per change (scrub runs for every text). */
  private sortedSecrets: string[] | undefined;

  /** Values never to print, wherever they turn up. Flag-like and very short values are not remembered. */
  addSecretValue(value: string | null | undefined): void {
    if (value == null || value.length < 3 || !looksSecret("SECRET", value)) return;
    this.secretValues.add(value);
    this.sortedSecrets = undefined;
    const quoted = JSON.stringify(value).slice(1, -1);
    if (quoted !== value) this.secretValues.add(quoted);
  }

  /** `text` with secrets masked by content and every known secret value replaced. */
  scrub(text: string): string {
    let out = redactText(text);
    this.sortedSecrets ??= [...this.secretValues].sort((a, b) => b.length - a.length);
    for (const v of this.sortedSecrets) if (out.includes(v)) out = out.split(v).join(MASK);
    return out;
  }

  add(rule: RuleId, service: string, message: string, extra: Partial<Omit<Finding, "rule" | "service" | "message">> = {}): void {
    const f: Finding = { rule, severity: extra.severity ?? RULES[rule].severity, service, message, hint: extra.hint ?? RULES[rule].hint, ...extra };
    f.message = this.scrub(f.message);
    if (f.compose !== undefined) f.compose = this.scrub(f.compose);
    if (f.k8s !== undefined) f.k8s = this.scrub(f.k8s);
    this.findings.push(f);
  }

  ok(service: string, text: string): void {
    const list = this.passed.get(service) ?? [];
    list.push(this.scrub(text));
    this.passed.set(service, list);
  }
}

// What the seed documents say, checked on the rendered manifests (issue 20): the documented
// numbers, the cookie affinity across paths with pods that name themselves, the labels the
// documents' commands use, and NetworkPolicies that let every workload reach the Services its
// env and mounted config point at.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "../../helpers/cli.js";

const render = (dir: string) => parseAllDocuments(execFileSync("kubectl", ["kustomize", join(repoRoot, dir)], { encoding: "utf8" })).map((d) => d.toJS() as any);
const find = (objs: any[], kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
const hpa = (objs: any[], name: string) => {
  const s = find(objs, "HorizontalPodAutoscaler", name).spec;
  return `${s.minReplicas}-${s.maxReplicas}`;
};

describe("the documents' numbers", () => {
  it("CodeBeaker: HPAs api 2-10, worker 3-20 and WORKER_CONCURRENCY 10 in base and prod; dev lowers them (docs/stacks.md says why)", () => {
    for (const overlay of ["base", "overlays/prod"]) {
      const objs = render(`fixtures/codebeaker/k8s/${overlay}`);
      expect([hpa(objs, "codebeaker-api"), hpa(objs, "codebeaker-worker")], overlay).toEqual(["2-10", "3-20"]);
      expect(find(objs, "ConfigMap", "codebeaker-config").data.WORKER_CONCURRENCY, overlay).toBe("10");
    }
    const dev = render("fixtures/codebeaker/k8s/overlays/dev");
    expect([hpa(dev, "codebeaker-api"), hpa(dev, "codebeaker-worker"), find(dev, "ConfigMap", "codebeaker-config").data.WORKER_CONCURRENCY]).toEqual(["1-3", "1-5", "3"]);
  });

  it("AgentForge: 2 frontends and a backend HPA 2-5 with 2 replicas in base and prod; dev keeps two backends (affinity) and one frontend", () => {
    for (const overlay of ["base", "overlays/prod"]) {
      const objs = render(`fixtures/agentforge/k8s/${overlay}`);
      expect([find(objs, "Deployment", "frontend").spec.replicas, find(objs, "Deployment", "backend").spec.replicas, hpa(objs, "backend")], overlay).toEqual([2, 2, "2-5"]);
    }
    const dev = render("fixtures/agentforge/k8s/overlays/dev");
    expect([find(dev, "Deployment", "frontend").spec.replicas, find(dev, "Deployment", "backend").spec.replicas, hpa(dev, "backend")]).toEqual([1, 2, "2-3"]);
  });
});

describe("AgentForge: cookie affinity across /, /api/ and /ws/", () => {
  const dev = render("fixtures/agentforge/k8s/overlays/dev");
  it("one cookie for every path (session-cookie-path /), not one per matched path", () => {
    const a = find(dev, "Ingress", "agentforge").metadata.annotations;
    expect(a).toMatchObject({ "nginx.ingress.kubernetes.io/affinity": "cookie", "nginx.ingress.kubernetes.io/session-cookie-path": "/" });
  });
  it("the pods behind the Ingress know their name (POD_NAME from metadata.name), which every reply names", () => {
    for (const name of ["backend", "frontend"]) {
      const env = find(dev, "Deployment", name).spec.template.spec.containers[0].env;
      expect(env.find((e: any) => e.name === "POD_NAME"), name).toEqual({ name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } });
    }
  });
});

describe("CodeBeaker: the documents' label selector", () => {
  it("`kubectl logs -l app.kubernetes.io/name=codebeaker` matches the api and worker pods", () => {
    for (const overlay of ["base", "overlays/dev", "overlays/prod"]) {
      const objs = render(`fixtures/codebeaker/k8s/${overlay}`);
      for (const d of objs.filter((o) => o.kind === "Deployment")) expect(d.spec.template.metadata.labels["app.kubernetes.io/name"], `${overlay} ${d.metadata.name}`).toBe("codebeaker");
    }
  });
});

// --- NetworkPolicy reachability over rendered manifests -------------------------------------

type Labels = Record<string, string>;
const matches = (sel: any, labels: Labels): boolean => {
  if (!sel) return false;
  const okLabels = Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const okExpr = (sel.matchExpressions ?? []).every((e: any) =>
    e.operator === "In" ? e.values.includes(labels[e.key]) : e.operator === "NotIn" ? !e.values.includes(labels[e.key]) : e.operator === "Exists" ? e.key in labels : !(e.key in labels),
  );
  return okLabels && okExpr;
};

interface Pod {
  name: string;
  labels: Labels;
  containers: any[];
  volumes: any[];
}

const podsOf = (objs: any[]): Pod[] =>
  objs
    .filter((o) => ["Deployment", "StatefulSet", "Job", "DaemonSet"].includes(o.kind))
    .map((o) => ({ name: `${o.kind}/${o.metadata.name}`, labels: o.spec.template.metadata?.labels ?? {}, containers: o.spec.template.spec.containers, volumes: o.spec.template.spec.volumes ?? [] }));

/** What a pod's env and mounted ConfigMaps say: the strings that may name a Service. */
function configText(objs: any[], pod: Pod): string[] {
  const cm = (name: string) => find(objs, "ConfigMap", name)?.data ?? {};
  const out: string[] = [];
  for (const c of pod.containers) {
    for (const e of c.env ?? []) {
      if (typeof e.value === "string") out.push(e.value);
      const ref = e.valueFrom?.configMapKeyRef;
      if (ref) out.push(cm(ref.name)[ref.key] ?? "");
    }
    for (const f of c.envFrom ?? []) if (f.configMapRef) out.push(...Object.values<string>(cm(f.configMapRef.name)));
  }
  for (const v of pod.volumes) if (v.configMap) out.push(...Object.values<string>(cm(v.configMap.name)));
  return out;
}

/** The Services (and ports) `text` points at: `svc:port`, `scheme://svc[.ns[.svc.cluster.local]][:port]`. */
function serviceRefs(text: string, services: any[], ns: string): { svc: any; port: number }[] {
  const out: { svc: any; port: number }[] = [];
  for (const m of text.matchAll(/(?:[a-z][a-z0-9+.-]*:\/\/|(?<=^|["'\s[,]))([a-z0-9-]+)((?:\.[a-z0-9-]+)*)(?::(\d+))?/gm)) {
    const svc = services.find((s) => s.metadata.name === m[1]);
    if (!svc) continue;
    const suffix = m[2] ?? "";
    if (suffix && ![`.${ns}`, `.${ns}.svc`, `.${ns}.svc.cluster.local`].includes(suffix)) continue;
    if (!m[3] && !m[0].includes("://")) continue;
    out.push({ svc, port: m[3] ? Number(m[3]) : svc.spec.ports[0].port });
  }
  return out;
}

function allowed(policies: any[], type: "Ingress" | "Egress", self: Pod, peer: Pod, port: { number: number; name?: string }, ns: string): boolean {
  const selecting = policies.filter((p) => matches(p.spec.podSelector, self.labels) && (p.spec.policyTypes ?? ["Ingress"]).includes(type));
  if (!selecting.length) return true;
  const key = type === "Ingress" ? "ingress" : "egress";
  const peers = type === "Ingress" ? "from" : "to";
  return selecting.some((p) =>
    (p.spec[key] ?? []).some((rule: any) => {
      const peerOk =
        !rule[peers]?.length ||
        rule[peers].some((x: any) => {
          if (x.ipBlock) return false;
          const nsOk = !x.namespaceSelector || matches(x.namespaceSelector, { "kubernetes.io/metadata.name": ns });
          return nsOk && (!x.podSelector || matches(x.podSelector, peer.labels));
        });
      const portOk = !rule.ports?.length || rule.ports.some((r: any) => r.port === undefined || r.port === port.number || (port.name !== undefined && r.port === port.name));
      return peerOk && portOk;
    }),
  );
}

/** `client → Service:port (server pod)` for every reference the policies block. */
function blocked(objs: any[], ns: string): string[] {
  const services = objs.filter((o) => o.kind === "Service");
  const policies = objs.filter((o) => o.kind === "NetworkPolicy");
  const pods = podsOf(objs);
  const out: string[] = [];
  for (const client of pods) {
    for (const text of configText(objs, client)) {
      for (const { svc, port } of serviceRefs(text, services, ns)) {
        const sp = svc.spec.ports.find((p: any) => p.port === port) ?? svc.spec.ports[0];
        for (const server of pods.filter((p) => p !== client && Object.keys(svc.spec.selector ?? {}).length && matches({ matchLabels: svc.spec.selector }, p.labels))) {
          const cport = server.containers.flatMap((c) => c.ports ?? []).find((p: any) => p.containerPort === sp.targetPort || p.name === sp.targetPort) ?? { containerPort: sp.targetPort ?? sp.port };
          const target = { number: cport.containerPort, name: cport.name };
          if (!allowed(policies, "Egress", client, server, target, ns) || !allowed(policies, "Ingress", server, client, target, ns)) out.push(`${client.name} → Service/${svc.metadata.name}:${port} (${server.name})`);
        }
      }
    }
  }
  return [...new Set(out)];
}

describe("AgentForge prod: the NetworkPolicies allow what the workloads' config points at", () => {
  const prod = render("fixtures/agentforge/k8s/overlays/prod");

  it("finds the references it checks (Grafana's datasource, Prometheus' scrape targets, DATA_COLLECTOR_URL)", () => {
    const pods = podsOf(prod);
    const services = prod.filter((o) => o.kind === "Service");
    const refs = (name: string) => configText(prod, pods.find((p) => p.name === name)!).flatMap((t) => serviceRefs(t, services, "agentforge").map((r) => `${r.svc.metadata.name}:${r.port}`));
    expect(refs("Deployment/grafana")).toContain("prometheus:9090");
    expect(refs("Deployment/prometheus")).toEqual(expect.arrayContaining(["backend:8000", "data-collector:8001"]));
    expect(refs("Deployment/backend")).toContain("data-collector:8001");
  });

  it("nothing a workload points at is blocked", () => {
    expect(blocked(prod, "agentforge")).toEqual([]);
  });

  it("Grafana itself is reachable (the ingress controller, port-forwarded users in the namespace)", () => {
    const policies = prod.filter((o) => o.kind === "NetworkPolicy");
    const grafana = podsOf(prod).find((p) => p.name === "Deployment/grafana")!;
    const fromIngress: Pod = { name: "ingress", labels: {}, containers: [], volumes: [] };
    expect(allowed(policies, "Ingress", grafana, fromIngress, { number: 3000, name: "http" }, "ingress-nginx")).toBe(true);
  });
});

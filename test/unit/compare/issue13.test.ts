// Issue 13: each defect class seen on the public corpus (docs/compare-compose.md), reproduced on a
// minimal fixture of test/fixtures/compare/issue13 with its exact findings.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks, type CompareResult } from "../../../src/compare/compare.js";
import { loadK8sForCompare } from "../../../src/compare/k8s-input.js";
import { DevenvError } from "../../../src/errors/devenv-error.js";

const root = fileURLToPath(new URL("../../fixtures/compare/issue13", import.meta.url));

async function run(name: string, compose = "compose.yml"): Promise<CompareResult> {
  const project = loadCompose({ files: [compose], cwd: `${root}/${name}`, env: {} });
  return compareStacks(project, await loadK8sForCompare([`${root}/${name}/k8s`], root));
}
const lines = (r: CompareResult) => r.findings.filter((f) => !f.ignored && f.severity !== "info").map((f) => `${f.severity} ${f.rule} ${f.service}: ${f.message}`);

function inputError(fn: () => unknown): DevenvError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DevenvError) return e;
    throw e;
  }
  throw new Error("expected a DevenvError");
}

describe("issue 13 defect classes", () => {
  it("1. pods with several containers: each compose service is compared with the container that plays it; a Service may target the sidecar's named port", async () => {
    const r = await run("multi-container");
    expect(lines(r)).toEqual(["error env.value metrics: SCRAPE_INTERVAL: compose \"10s\" ≠ k8s \"30s\""]);
    expect(r.services.map((s) => [s.service, s.workload, s.container, s.matchedBy])).toEqual([
      ["rabbitmq", "Deployment/rabbitmq", "rabbitmq", "name"],
      ["metrics", "Deployment/rabbitmq", "exporter", "image"],
    ]);
    expect(r.summary.workloads).toBe(1);
  });

  it("2. matching by name first (a Service's DNS name reaches the workload), one to one, never by a shared repository; --json says on what", async () => {
    const r = await run("matching");
    expect(lines(r)).toEqual([]);
    expect(r.services.map((s) => [s.service, s.workload, s.matchedBy])).toEqual([
      ["reviews", "Deployment/reviews-v1", "service"],
      ["db", "Deployment/database", "service"],
    ]);
  });

  it("3. the whole image reference is compared: registry normalised, no tag = latest, digests; the image compose builds runs under any tag", async () => {
    expect(lines(await run("image-tags"))).toEqual([
      "error image.mismatch carts-db: image tag: compose mongo:3.4 ≠ k8s mongo",
      "error image.mismatch pinned: image digest: compose acme/pinned@sha256:aaaa ≠ k8s acme/pinned:1@sha256:bbbb",
    ]);
  });

  it("4. $(VAR) after valueFrom / envFrom is expanded by the kubelet; only truly undefined references are findings", async () => {
    const r = await run("valuefrom");
    expect(r.findings.filter((f) => f.rule === "env.unexpanded-ref").map((f) => f.message)).toEqual(["BROKEN contains $(NOT_DEFINED): Kubernetes leaves it literal (not declared earlier in the container's env)"]);
  });

  it("5. Service ports: missing or 0 targetPort means port; protocols compared on both sides", async () => {
    expect(lines(await run("service-ports"))).toEqual(["error port.mismatch mdns: compose listens on 5353/udp, k8s on 5353"]);
  });

  it("6. reachability: a host in env must resolve on each side (service, alias, extra_hosts | Service in the namespace)", async () => {
    const r = await run("reach");
    expect(r.findings.filter((f) => f.rule === "env.unreachable-host").map((f) => f.message)).toEqual([
      'SEARCH_URL points at "search", which is no compose service, alias or extra_hosts entry',
      'MONGO_HOST points at "user-db" in Deployment/user, but there is no Service "user-db" in namespace shop',
      'LEGACY_URL points at "legacy" in Deployment/user, but there is no Service "legacy" in namespace shop',
      'SEARCH_URL points at "search" in Deployment/user, but there is no Service "search" in namespace shop',
    ]);
  });

  it("8. compose input: schema errors at file:line (exit 2), include honoured, port range, depends_on cycles, anonymous volumes", async () => {
    const dir = `${root}/compose-input`;
    const typo = inputError(() => loadCompose({ files: ["typo.yml"], cwd: dir, env: {} }));
    expect(typo.message).toContain('unknown service key "enviroment" in service "api" (did you mean "environment"?)');
    expect(typo.where).toMatch(/typo\.yml:4:\d+$/);
    expect(typo.exitCode).toBe(2);
    const top = inputError(() => loadCompose({ files: ["toplevel.yml"], cwd: dir, env: {} }));
    expect(top.message).toContain('unknown top-level key "service" (did you mean "services"?)');
    expect(top.where).toMatch(/toplevel\.yml:3:\d+$/);
    expect(inputError(() => loadCompose({ files: ["ports.yml"], cwd: dir, env: {} })).message).toBe('service "api": host port 70000 is out of range (1-65535)');
    expect(inputError(() => loadCompose({ files: ["cycle.yml"], cwd: dir, env: {} })).message).toBe("depends_on cycle: a → b → c → a");

    const r = await run("compose-input");
    expect(Object.keys(r.services.map((s) => s.service))).toHaveLength(2);
    const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
    expect(project.services.api!.build!.context).toBe(`${dir}/sub/app`); // relative to the included file
    expect(project.services.api!.environment).toEqual({ FROM_INCLUDE: "yes" });
    expect(lines(r)).toEqual(["warning volume.persistent web: /tmp/scratch is an anonymous volume in compose (new with each container), but Pod/web keeps it in PersistentVolumeClaim/scratch"]);
  });

  it("9. Kubernetes input: a Helm chart is named as one, an object in two files names both; run-once Pods are Job-like; a healthcheck without test checks nothing itself", async () => {
    const chart = await loadK8sForCompare([`${root}/k8s-input/chart`], root).catch((e: DevenvError) => e);
    expect((chart as DevenvError).message).toMatch(/chart is a Helm chart/);
    expect((chart as DevenvError).hint).toContain("helm template");
    const dupes = await loadK8sForCompare([`${root}/k8s-input/dupes`], root).catch((e: DevenvError) => e);
    expect((dupes as DevenvError).message).toMatch(/^Service\/api is defined twice: in .*dupes\/a\.yaml:1 and in .*dupes\/b\.yaml:1$/);
    expect((dupes as DevenvError).exitCode).toBe(2);
    expect(lines(await run("k8s-input/runonce"))).toEqual([]);
  });

  it("10. each finding points at the field on both sides", async () => {
    const r = await run("reach");
    const f = r.findings.find((x) => x.rule === "env.unreachable-host" && x.variable === "MONGO_HOST")!;
    expect(f.composeWhere).toMatch(/reach\/compose\.yml:5:\d+$/);
    expect(f.where).toMatch(/reach\/k8s\/apps\.yaml:17:\d+$/);
    const port = (await run("service-ports")).findings.find((x) => x.rule === "port.mismatch")!;
    expect(port.composeWhere).toMatch(/service-ports\/compose\.yml:10:\d+$/);
    expect(port.where).toMatch(/service-ports\/k8s\/apps\.yaml:28:\d+$/);
  });
});

// Second corpus round (jaeger hotrod, aks-store-demo, opentelemetry-demo, Datadog's
// ecommerce-workshop, kompose's fixtures): each false positive or miss, on its own fixture.
describe("issue 13, second corpus round", () => {
  it("a healthcheck calling the container by its own name (service, container_name) is a GET or a TCP check of itself; only the wrong port is drift", async () => {
    expect(lines(await run("health-self"))).toEqual(["error health.mismatch front: the compose healthcheck checks GET :80/health, the probe checks GET :8080/health"]);
    const r = await run("health-self");
    expect(r.services.find((s) => s.service === "shop")!.passed).toContain("health GET :3000/health");
    expect(r.services.find((s) => s.service === "cache")!.passed).toContain("health TCP :6379");
    expect(r.services.find((s) => s.service === "docs")!.passed).toContain("health TCP :10260");
  });

  it("a named targetPort matches by name and protocol: a UDP Service port on a TCP containerPort has no endpoint, said once, and port.mismatch lists both sides", async () => {
    expect(lines(await run("named-udp"))).toEqual([
      'error port.service tracing: Service/tracing port 6831/udp targets "agent", which container tracing declares as 6831/tcp: a named port matches by name and protocol, so this Service port has no endpoint',
      "error port.mismatch tracing: compose listens on 4318, 6831/udp, 16686, k8s on 6831, 16686 (only in compose: 4318, 6831/udp)",
    ]);
  });

  it("several URLs in one value are each judged (Kafka listeners); name:count lists are no hosts", async () => {
    const r = await run("reach-lists");
    expect(r.findings.filter((f) => f.rule === "env.unreachable-host").map((f) => f.message)).toEqual([
      'KAFKA_ADVERTISED_LISTENERS points at "brokr", which is no compose service, alias or extra_hosts entry',
      'KAFKA_ADVERTISED_LISTENERS points at "brokr" in Deployment/kafka, but there is no Service "brokr" in namespace default',
    ]);
  });

  it("a node agent on hostPorts needs no Service; a runtime socket is named as such; restart: on-failure is a run-once Pod's twin; a missing ConfigMap key is named", async () => {
    expect(lines(await run("agent"))).toEqual([
      'warning env.unresolved web: MODE comes from ConfigMap/web-env, which has no key "MODE"',
      "warning volume.docker-socket agent: compose mounts the Docker socket (/var/run/docker.sock → /var/run/docker.sock), DaemonSet/agent mounts the node's runtime socket /var/run/crio/crio.sock instead (a Docker client cannot use it)",
    ]);
  });
});

describe("issue 13, matching by what the twins call a service", () => {
  it("a database named otherwise in Kubernetes is paired through the variable that reaches it on each side; the URLs then compare equal", async () => {
    const r = await run("reference");
    expect(r.services.map((s) => [s.service, s.workload, s.matchedBy])).toEqual([
      ["orders", "Deployment/orders", "name"],
      ["orders-db", "StatefulSet/orders-postgresql", "reference"],
    ]);
    expect(lines(r)).toEqual(["error image.mismatch orders-db: image: compose postgres:16.1 ≠ k8s public.ecr.aws/docker/library/postgres:16.1"]);
  });

  it("compose secrets: and configs: are files at their targets: a subPath entry, an item or key of a Secret/ConfigMap volume on the directory; a whole volume at the target is a directory; a *_FILE path is no secret", async () => {
    const r = await run("file-grants");
    expect(lines(r)).toEqual([
      'error volume.file-missing worker: compose mounts secret "db_password" as the file /run/secrets/db_password, but Deployment/worker mounts a directory there (/run/secrets/db_password/db_password), not the file: mount the entry with subPath',
      'error volume.file-missing worker: compose mounts config "worker_conf" as the file /worker_conf, but Deployment/worker mounts nothing there',
    ]);
    const api = r.services.find((s) => s.service === "api")!;
    expect(api.passed).toEqual(expect.arrayContaining(["secret db_password → /run/secrets/db_password", "secret api_key → /run/secrets/api.key", "config api_config → /etc/api/config.yml"]));
    expect(r.findings.find((f) => f.rule === "volume.file-missing")).toMatchObject({ composeWhere: expect.stringMatching(/compose\.yml:18:9$/), compose: "db_password:/run/secrets/db_password" });
    // DB_PASSWORD_FILE holds a path, not the password: no env.secret-in-plain for it.
    expect(r.findings.filter((f) => f.rule === "env.secret-in-plain")).toEqual([]);
  });

  it("a secret or config the top level does not define is an error at its line, as compose refuses it", () => {
    const dir = `${root}/file-grants`;
    const e = inputError(() => loadCompose({ files: ["undefined-grant.yml"], cwd: dir, env: {} }));
    expect(e.message).toBe('service "api" is granted secret "tls_key", which the top-level secrets: does not define');
    expect(e.where).toMatch(/undefined-grant\.yml:5:9$/);
  });
});

describe("issue 13, helper round: a sidecar that joins its app's network", () => {
  it("network_mode: service:X is a container of X's pod; in a pod of its own it no longer reaches X on localhost (service.network)", async () => {
    const r = await run("network-sidecar");
    expect(lines(r).filter((l) => l.includes("service."))).toEqual(['error service.network app-proxy: "app-proxy" shares app\'s network in compose (network_mode: service:app), but runs in Deployment/app-proxy, not in the pod of Deployment/app: localhost no longer reaches app']);
  });

  it("a network sidecar with no container anywhere says it is a sidecar and where it was looked for", async () => {
    const project = loadCompose({ files: ["compose.yml"], cwd: `${root}/network-sidecar`, env: {} });
    const objects = (await loadK8sForCompare([`${root}/network-sidecar/k8s`], root)).filter((o) => o.metadata.name !== "app-proxy");
    const r = compareStacks(project, objects);
    expect(lines(r).filter((l) => l.includes("service."))).toEqual(['error service.missing app-proxy: service "app-proxy" (a sidecar: network_mode: service:app) has no container in the manifests, in the pod of Deployment/app or elsewhere']);
  });
});

describe("issue 13, helper round: ties among workloads of one strength", () => {
  it("one compose service split into several Deployments whose containers share its name and image pairs with the one listening on compose's ports", async () => {
    const r = await run("matching-ports");
    expect(r.services.filter((s) => s.container).map((s) => [s.service, s.workload, s.matchedBy])).toEqual([["shop", "Deployment/storefront", "container"]]);
    expect(lines(r)).toEqual([
      "warning workload.missing orders: Deployment/orders has no compose service",
      'error command.mismatch shop: command ↔ args: compose ["all"] ≠ k8s ["storefront"]',
      'warning port.no-service shop: no Service selects the pods of Deployment/storefront, so "shop:8080" does not resolve in the cluster',
    ]);
  });
});

describe("issue 13, helper round: compose locations of env entries", () => {
  it("list-form environment: each finding points at its own entry; a Kubernetes-only variable has no compose location", async () => {
    const project = loadCompose({ files: ["compose.yml"], cwd: `${root}/env-list-where`, env: { TIMEOUT: "5" } });
    const r = compareStacks(project, await loadK8sForCompare([`${root}/env-list-where/k8s`], root));
    expect(r.findings.map((f) => [f.rule, f.variable ?? "", f.composeWhere?.replace(/^.*\//, "") ?? "-"])).toEqual([
      ["env.missing", "RETRIES", "compose.yml:8:9"],
      ["env.missing", "TIMEOUT", "compose.yml:9:9"],
      ["env.secret-in-plain", "DB_PASSWORD", "-"],
      ["env.extra", "", "-"],
    ]);
  });
});

describe("issue 13, references compose refuses", () => {
  it("network_mode: service:X with no service X is an input error at file:line", () => {
    const e = inputError(() => loadCompose({ files: ["bad-network.yml"], cwd: `${root}/network-sidecar`, env: {} }));
    expect(e.message).toBe('service "proxy" joins the network of "app" (network_mode: service:app), which is not defined');
    expect(e.where).toMatch(/bad-network\.yml:6:19$/);
  });
});

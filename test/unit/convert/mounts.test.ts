// convert on what makes converted output run (issue 13): bind mounts (config → ConfigMap within
// 1 MiB, code dropped, a dropped path used by a probe or command flagged, the Docker socket and
// machine paths → hostPath, a missing data directory → PVC), kompose's Service labels, UDP ports,
// build-only image names, and Services for names reached only by depends_on or an alias.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { loadCompose } from "../../../src/compose/load.js";
import type { ComposeMount } from "../../../src/compose/model.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { convertProject } from "../../../src/convert/convert.js";
import { CONFIGMAP_MAX_BYTES, planBindMount, readHostTree, type HostTree } from "../../../src/convert/mounts.js";
import { renderBase } from "../../../src/convert/write.js";
import type { KubeObject } from "../../../src/model/index.js";
import { writeFiles } from "../compose/write-files.js";

const fixture = fileURLToPath(new URL("../../fixtures/compare/convert/mounts", import.meta.url));

function convert() {
  // Loaded from another directory: relative bind sources are relative to the compose file.
  const project = loadCompose({ files: [join(fixture, "compose.yml")], cwd: mkdtempSync(join(tmpdir(), "devenv-cwd-")), env: {} });
  const converted = convertProject(project, { namespace: "shop" });
  const all = [...converted.files.values()].flat();
  const get = (kind: string, name: string) => all.find((o) => o.kind === kind && o.metadata.name === name);
  const pod = (name: string) => ((get("Deployment", name) ?? get("StatefulSet", name))!.spec as any).template.spec;
  return { project, converted, all, get, pod };
}

describe("convert: bind mounts", () => {
  it("a config directory becomes a ConfigMap mounted at the same path, scripts executable; the probe keeps its path", () => {
    const { get, pod } = convert();
    const cm = get("ConfigMap", "db-healthchecks")!;
    expect(cm.data).toEqual({ "postgres.sh": "#!/bin/sh\nset -e\npg_isready -U postgres -h localhost\n" });
    const spec = pod("db");
    const vol = spec.volumes.find((v: any) => v.configMap?.name === "db-healthchecks");
    expect(vol.configMap.defaultMode).toBe(0o755);
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: vol.name, mountPath: "/healthchecks", readOnly: true });
    // The password is `postgres`: the path's `postgres` is not replaced by a Secret reference.
    expect(spec.containers[0].readinessProbe.exec.command).toEqual(["/healthchecks/postgres.sh"]);
  });

  it("a config file becomes one ConfigMap key mounted with subPath; a missing data directory a PVC", () => {
    const { get, pod, all } = convert();
    expect(get("ConfigMap", "web-nginx-conf")!.data).toEqual({ "nginx.conf": "events {}\nhttp { server { listen 8081; } }\n" });
    const mounts = pod("web").containers[0].volumeMounts;
    expect(mounts).toContainEqual(expect.objectContaining({ mountPath: "/etc/nginx/nginx.conf", subPath: "nginx.conf", readOnly: true }));
    expect(mounts.map((m: any) => m.mountPath)).not.toContain("/app"); // source code: in the image
    expect(mounts.map((m: any) => m.mountPath)).not.toContain("/run/secrets/api-token");
    const pvc = all.find((o) => o.kind === "PersistentVolumeClaim" && o.metadata.name === "db-db")!;
    expect(pvc).toBeDefined();
    expect(pod("db").volumes).toContainEqual(expect.objectContaining({ persistentVolumeClaim: { claimName: "db-db" } }));
  });

  it("source code and secrets are dropped with a note; a command using a dropped path is flagged", () => {
    const { converted } = convert();
    expect(converted.notes).toContain("web: bind mount ./web → /app dropped: it is source code (build context ./web); in the cluster the code is in the image (devenv hot reload syncs it)");
    expect(converted.notes.find((n) => n.startsWith("web: bind mount ./secrets/api-token.txt"))).toMatch(/looks like it holds a secret.*create a Secret from it/);
    expect(converted.notes).toContain("worker: bind mount ./scripts → /scripts dropped: it holds source code (check.py); in the cluster the code is in the image (devenv hot reload syncs it)");
    expect(converted.warnings).toEqual(["worker: the command uses /scripts/check.py, from a bind mount convert dropped (/scripts): it is missing in the cluster; put the file into the image, or mount it from a ConfigMap"]);
    const yaml = [...renderBase(converted, "shop")].filter(([n]) => !n.endsWith(".env")).map(([, t]) => t).join("\n");
    expect(yaml).not.toContain("not-a-real-token");
  });

  it("a healthcheck calling a script from a dropped mount never passes: flagged", () => {
    const dir = writeFiles({
      "compose.yml": "services:\n  db:\n    image: postgres:16\n    volumes: ['./hc:/healthchecks']\n    healthcheck:\n      test: /healthchecks/postgres.sh\n",
      "hc/postgres.sh": "#!/bin/sh\n",
      "hc/helper.py": "print(1)\n",
    });
    const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
    const { warnings } = convertProject(project);
    expect(warnings).toEqual(["db: the healthcheck uses /healthchecks/postgres.sh, from a bind mount convert dropped (/healthchecks): the probe never passes in the cluster; put the file into the image, or mount it from a ConfigMap"]);
  });

  it("the Docker socket and the machine's own paths become hostPath volumes", () => {
    const { pod } = convert();
    const spec = pod("worker");
    const sock = spec.volumes.find((v: any) => v.hostPath);
    expect(sock.hostPath).toEqual({ path: "/var/run/docker.sock", type: "Socket" });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: sock.name, mountPath: "/var/run/docker.sock" });
    const project = loadCompose({ files: [join(fixture, "compose.yml")], cwd: fixture, env: {} });
    const m: ComposeMount = { type: "bind", source: "/proc", target: "/host/proc", readOnly: true };
    expect(readHostTree("/proc")).toEqual({ kind: "system" });
    expect(planBindMount(project, project.services.worker!, m, { kind: "system" }, "x")).toMatchObject({ kind: "hostPath", path: "/proc" });
  });

  it("over 1 MiB is no ConfigMap: dropped with a note; binary files go to binaryData", () => {
    const project = loadCompose({ files: [join(fixture, "compose.yml")], cwd: fixture, env: {} });
    const s = project.services.worker!;
    const m: ComposeMount = { type: "bind", source: join(fixture, "assets"), target: "/assets", readOnly: true };
    const big: HostTree = { kind: "dir", files: [{ path: "a.txt", bytes: Buffer.alloc(CONFIGMAP_MAX_BYTES - 10, "a"), executable: false }, { path: "b.txt", bytes: Buffer.alloc(20, "b"), executable: false }], truncated: false };
    expect(planBindMount(project, s, m, big, "worker-assets")).toMatchObject({ kind: "dropped", why: "too-big" });
    expect((planBindMount(project, s, m, big, "worker-assets") as { note: string }).note).toMatch(/1\.0 MiB is over the 1 MiB a ConfigMap can hold/);
    const fits: HostTree = { kind: "dir", files: [{ path: "logo.png", bytes: Buffer.from([0x89, 0x50, 0, 0xff]), executable: false }, { path: "conf/app.ini", bytes: Buffer.from("a=1\n"), executable: false }], truncated: false };
    expect(planBindMount(project, s, m, fits, "worker-assets")).toMatchObject({ kind: "configMap", binaryData: { "logo.png": "iVAA/w==" }, data: { "conf__app.ini": "a=1\n" }, items: [{ key: "logo.png", path: "logo.png" }, { key: "conf__app.ini", path: "conf/app.ini" }] });
    const secretConf: HostTree = { kind: "file", file: { path: "", bytes: Buffer.from("user: app\npassword: hunter2-x\n"), executable: false } };
    expect(planBindMount(project, s, { ...m, source: join(fixture, "app.yml") }, secretConf, "x")).toMatchObject({ kind: "dropped", why: "secret" });
    const refConf: HostTree = { kind: "file", file: { path: "", bytes: Buffer.from("password: ${env:DB_PASSWORD}\n"), executable: false } };
    expect(planBindMount(project, s, { ...m, source: join(fixture, "app.yml") }, refConf, "x")).toMatchObject({ kind: "configMap" });
  });
});

describe("convert: Services", () => {
  it("kompose labels: NodePort with its nodePort, an Ingress for expose, headless; other kompose labels listed", () => {
    const { get, converted } = convert();
    expect(get("Service", "web")!.spec).toMatchObject({ type: "NodePort", ports: [{ name: "p8080", port: 8080, targetPort: 8080, nodePort: 30080 }] });
    expect(get("Ingress", "web")!.spec).toEqual({ rules: [{ host: "shop.localtest.me", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 8080 } } } }] } }] });
    expect(get("Service", "dns")!.spec).toMatchObject({ clusterIP: "None" });
    expect(converted.notes).toContainEqual(expect.stringMatching(/^web: label kompose\.volume\.size not converted/));
  });

  it("keeps protocols: 53/udp and 53/tcp are two ports on the container and the Service", () => {
    const { get, pod } = convert();
    expect(pod("dns").containers[0].ports).toEqual([{ containerPort: 53 }, { containerPort: 53, protocol: "UDP" }]);
    expect((get("Service", "dns")!.spec as any).ports).toEqual([
      { name: "p53", port: 53, targetPort: 53 },
      { name: "p53-udp", port: 53, targetPort: 53, protocol: "UDP" },
    ]);
  });

  it("a name reached only by depends_on or as an alias gets a (headless) Service", () => {
    const { get } = convert();
    expect(get("Service", "db")!.spec).toEqual({ clusterIP: "None", selector: { "app.kubernetes.io/name": "db" } });
    expect(get("Service", "database")!.spec).toEqual({ clusterIP: "None", selector: { "app.kubernetes.io/name": "db" } });
    expect(get("Service", "worker")!.spec).toMatchObject({ clusterIP: "None" });
  });

  it("kompose.service.expose: \"true\" is a rule without host; comma-separated hosts with paths", () => {
    const dir = writeFiles({ "compose.yml": "services:\n  a:\n    image: nginx\n    ports: ['80']\n    labels:\n      kompose.service.expose: 'true'\n  b:\n    image: nginx\n    ports: ['80']\n    labels:\n      kompose.service.expose: 'b.test/api, c.test'\n      kompose.service.expose.ingress-class-name: nginx\n      kompose.service.expose.tls-secret: b-tls\n" });
    const { files } = convertProject(loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }));
    const ing = (n: string) => files.get(`${n}.yaml`)!.find((o) => o.kind === "Ingress")!.spec as any;
    expect(ing("a").rules).toEqual([{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "a", port: { number: 80 } } } }] } }]);
    expect(ing("b")).toMatchObject({ ingressClassName: "nginx", tls: [{ hosts: ["b.test", "c.test"], secretName: "b-tls" }] });
    expect(ing("b").rules.map((r: any) => `${r.host}${r.http.paths[0].path}`)).toEqual(["b.test/api", "c.test/"]);
  });
});

describe("convert: round trip of the fixture", () => {
  it("compares equal to its compose setup; the build-only service runs as <project>-<service>", () => {
    const { project, converted, pod } = convert();
    expect(pod("web").containers[0].image).toBe("mounts-web");
    const result = compareStacks(project, [...converted.files.values()].flat() as KubeObject[], { order: converted.order });
    expect(result.findings.filter((f) => f.severity !== "info").map((f) => `${f.rule} ${f.service}: ${f.message}`)).toEqual([]);
    expect(result.equivalent).toBe(true);
    expect(result.services.find((s) => s.service === "web")!.passed).toContainEqual(expect.stringMatching(/^image mounts-web/));
    // and the rendered kustomization is plain YAML kubectl reads
    for (const [name, text] of renderBase(converted, "shop")) if (name.endsWith(".yaml")) expect(() => parseAllDocuments(text).map((d) => d.toJS())).not.toThrow();
  });
});

describe("convert: the YAML it writes", () => {
  it("has no anchors or aliases (the probes are one object in memory)", () => {
    const { converted } = convert();
    const db = renderBase(converted, "shop").get("db.yaml")!;
    expect(db).toMatch(/livenessProbe:\n\s+exec:/);
    expect(db).not.toMatch(/[&*]a\d+\b/);
  });
});

describe("convert: names Kubernetes accepts", () => {
  it("a compose name that is no DNS label (NGINX, front_end) names its objects in DNS form and still compares equal", () => {
    const dir = writeFiles({ "compose.yml": "services:\n  NGINX:\n    image: nginx\n    ports: ['80:80']\n  front_end:\n    image: nginx\n    labels:\n      kompose.service.type: headless\n" });
    const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
    const converted = convertProject(project);
    const all = [...converted.files.values()].flat();
    expect(all.filter((o) => o.kind !== "ConfigMap").map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual(["Deployment/front-end", "Deployment/nginx", "Service/front-end", "Service/nginx"]);
    expect((all.find((o) => o.metadata.name === "front-end" && o.kind === "Service")!.spec as any).clusterIP).toBe("None");
    expect(converted.notes).toContain("NGINX: not a valid Kubernetes name: its objects are named nginx");
    const result = compareStacks(project, all, { order: converted.order });
    expect(result.findings.filter((f) => f.severity !== "info").map((f) => `${f.rule} ${f.service}: ${f.message}`)).toEqual([]);
  });
});

// compare-compose rules volume.* (docs/compare-compose.md, Rules): named volumes ↔ claims at
// the same path, anonymous volumes ↔ emptyDir, sharing ↔ ReadWriteMany, bind mounts, the
// Docker socket.
import { describe, expect, it } from "vitest";
import { compareYaml, yamlStream as all } from "./compare-yaml.js";

const volumes = (compose: string, manifests: string) =>
  compareYaml(compose, manifests)
    .findings.filter((f) => f.rule.startsWith("volume."))
    .map((f) => `${f.severity} ${f.rule} ${f.service}: ${f.message}`);
const passed = (compose: string, manifests: string, svc = "db") => compareYaml(compose, manifests).services.find((s) => s.service === svc)?.passed ?? [];
const workload = (name: string, mounts: string, volumes: string, kind = "Deployment", extra = "") => `apiVersion: apps/v1
kind: ${kind}
metadata: { name: ${name} }
spec:
  ${extra}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - { name: ${name}, image: ${name}, volumeMounts: ${mounts} }
      volumes: ${volumes}
`;
const pvc = (name: string, modes = "[ReadWriteOnce]") => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: ${name} }\nspec: { accessModes: ${modes}, resources: { requests: { storage: 1Gi } } }`;
const db = (vol: string) => `services:\n  db:\n    image: db\n    volumes: ['${vol}']\nvolumes: { data: {} }\n`;

describe("named volumes", () => {
  it("a claim at the same path (trailing slashes aside) is equal", () => {
    const k8s = all(workload("db", "[{ name: d, mountPath: /var/lib/data/ }]", "[{ name: d, persistentVolumeClaim: { claimName: data } }]"), pvc("data"));
    expect(volumes(db("data:/var/lib/data"), k8s)).toEqual([]);
    expect(passed(db("data:/var/lib/data"), k8s)).toContain("volume data → /var/lib/data");
  });
  it("a volumeClaimTemplate is persistent", () => {
    const k8s = workload("db", "[{ name: d, mountPath: /data }]", "[]", "StatefulSet", "serviceName: db\n  volumeClaimTemplates: [{ metadata: { name: d }, spec: { accessModes: [ReadWriteOnce] } }]");
    expect(volumes(db("data:/data"), k8s)).toEqual([]);
  });
  it("nothing mounted at the path", () => {
    expect(volumes(db("data:/data"), workload("db", "[{ name: d, mountPath: /other }]", "[{ name: d, emptyDir: {} }]"))).toEqual(['error volume.missing db: named volume "data" is mounted at /data in compose, but Deployment/db mounts nothing there']);
  });
  it("an emptyDir loses what the named volume keeps", () => {
    expect(volumes(db("data:/data"), workload("db", "[{ name: d, mountPath: /data }]", "[{ name: d, emptyDir: {} }]"))).toEqual(['warning volume.not-persistent db: /data is an emptyDir in Deployment/db; compose keeps it in named volume "data"']);
  });
  it("another volume source (a ConfigMap) at the path is not an emptyDir", () => {
    expect(volumes(db("data:/data"), workload("db", "[{ name: d, mountPath: /data }]", "[{ name: d, configMap: { name: c } }]"))).toEqual([]);
  });
});

describe("anonymous volumes", () => {
  it("an emptyDir is its twin", () => {
    expect(volumes("services:\n  db: { image: db, volumes: ['/cache'] }\n", workload("db", "[{ name: c, mountPath: /cache }]", "[{ name: c, emptyDir: {} }]"))).toEqual([]);
    expect(passed("services:\n  db: { image: db, volumes: ['/cache'] }\n", workload("db", "[{ name: c, mountPath: /cache }]", "[{ name: c, emptyDir: {} }]"))).toContain("anonymous volume /cache");
  });
  it("kept in a claim or a volumeClaimTemplate it persists where compose starts empty", () => {
    expect(volumes("services:\n  db: { image: db, volumes: ['/cache'] }\n", all(workload("db", "[{ name: c, mountPath: /cache }]", "[{ name: c, persistentVolumeClaim: { claimName: cache } }]"), pvc("cache")))).toEqual([
      "warning volume.persistent db: /cache is an anonymous volume in compose (new with each container), but Deployment/db keeps it in PersistentVolumeClaim/cache",
    ]);
    const sts = workload("db", "[{ name: c, mountPath: /cache }]", "[]", "StatefulSet", "serviceName: db\n  volumeClaimTemplates: [{ metadata: { name: c } }]");
    expect(volumes("services:\n  db: { image: db, volumes: ['/cache'] }\n", sts)).toEqual(["warning volume.persistent db: /cache is an anonymous volume in compose (new with each container), but StatefulSet/db keeps it in a volumeClaimTemplate"]);
  });
  it("not mounted in Kubernetes at all: nothing to say", () => {
    expect(volumes("services:\n  db: { image: db, volumes: ['/cache'] }\n", workload("db", "[]", "[]"))).toEqual([]);
  });
});

describe("volume.rwx-needed", () => {
  const shared = "services:\n  a: { image: a, volumes: ['files:/files'] }\n  b: { image: b, volumes: ['files:/files'] }\nvolumes: { files: {} }\n";
  const k8s = (modes: string) => all(workload("a", "[{ name: f, mountPath: /files }]", "[{ name: f, persistentVolumeClaim: { claimName: files } }]"), workload("b", "[{ name: f, mountPath: /files }]", "[{ name: f, persistentVolumeClaim: { claimName: files } }]"), pvc("files", modes));
  it("a volume shared by two services on a ReadWriteOnce claim, reported once", () => {
    expect(volumes(shared, k8s("[ReadWriteOnce]"))).toEqual(['error volume.rwx-needed a: volume "files" is shared by a, b, but PersistentVolumeClaim/files is ReadWriteOnce']);
  });
  it("ReadWriteMany is fine", () => {
    expect(volumes(shared, k8s("[ReadWriteMany]"))).toEqual([]);
  });
  it("a claim without access modes reads as ReadWriteOnce", () => {
    expect(volumes(shared, k8s("[]"))).toEqual(['error volume.rwx-needed a: volume "files" is shared by a, b, but PersistentVolumeClaim/files is ReadWriteOnce']);
  });
  it("one service with several replicas in compose says how many containers", () => {
    const compose = "services:\n  a: { image: a, volumes: ['files:/files'], deploy: { replicas: 3 } }\nvolumes: { files: {} }\n";
    const one = all(workload("a", "[{ name: f, mountPath: /files }]", "[{ name: f, persistentVolumeClaim: { claimName: files } }]", "Deployment", "replicas: 3"), pvc("files"));
    expect(volumes(compose, one)).toEqual(['error volume.rwx-needed a: volume "files" is shared by a (3 containers), but PersistentVolumeClaim/files is ReadWriteOnce']);
  });
  it("one claim mounted by several pods only in Kubernetes", () => {
    const one = all(workload("a", "[{ name: f, mountPath: /files }]", "[{ name: f, persistentVolumeClaim: { claimName: files } }]", "Deployment", "replicas: 2"), pvc("files", "[ReadWriteOnce, ReadOnlyMany]"));
    expect(volumes("services:\n  a: { image: a, volumes: ['files:/files'] }\nvolumes: { files: {} }\n", one)).toEqual(["error volume.rwx-needed files: PersistentVolumeClaim/files is mounted by 2 pods but is ReadWriteOnce, ReadOnlyMany"]);
  });
  it("one pod with its own claim is fine", () => {
    const one = all(workload("a", "[{ name: f, mountPath: /files }]", "[{ name: f, persistentVolumeClaim: { claimName: files } }]"), pvc("files"));
    expect(volumes("services:\n  a: { image: a, volumes: ['files:/files'] }\nvolumes: { files: {} }\n", one)).toEqual([]);
  });
});

describe("bind mounts and the Docker socket", () => {
  it("source code bind mounts are one note", () => {
    const compose = "services:\n  db: { image: db, volumes: ['./src:/app/src', './conf:/etc/app'] }\n";
    expect(volumes(compose, workload("db", "[]", "[]")).map((f) => f.replace(/\/tmp\/[^ ]*?\/(src|conf)/g, "./$1"))).toEqual(["info volume.bind-mount db: bind mounts (dev only): ./src → /app/src, ./conf → /etc/app"]);
  });
  it("a bind mount that Kubernetes mounts too (a ConfigMap at the path) is no note", () => {
    expect(volumes("services:\n  db: { image: db, volumes: ['./conf:/etc/app'] }\n", workload("db", "[{ name: c, mountPath: /etc/app }]", "[{ name: c, configMap: { name: conf } }]"))).toEqual([]);
  });
  it("the Docker socket on both sides is fine, on one side an error", () => {
    const compose = "services:\n  db: { image: db, volumes: ['/var/run/docker.sock:/var/run/docker.sock'] }\n";
    const withSock = workload("db", "[{ name: s, mountPath: /var/run/docker.sock }]", "[{ name: s, hostPath: { path: /run/docker.sock, type: Socket } }]");
    expect(volumes(compose, withSock)).toEqual([]);
    expect(passed(compose, withSock)).toContain("Docker socket → /var/run/docker.sock");
    expect(volumes(compose, workload("db", "[]", "[]"))).toEqual(["error volume.docker-socket db: compose mounts the Docker socket (/var/run/docker.sock → /var/run/docker.sock), but Deployment/db mounts no hostPath socket"]);
    expect(volumes("services:\n  db: { image: db }\n", withSock)).toEqual(["error volume.docker-socket db: Deployment/db mounts the node's Docker socket at /var/run/docker.sock, but compose mounts none"]);
  });
});

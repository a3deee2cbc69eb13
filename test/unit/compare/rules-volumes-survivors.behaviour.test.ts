// compare-compose rules volume.* (docs/compare-compose.md, Rules): the --json fields of each
// finding, path spellings (trailing slashes), the Docker socket mounted on one side only, and
// mounts that are not named volumes.
import { describe, expect, it } from "vitest";
import { compareYaml, yamlStream as all } from "./compare-yaml.js";

const vol = (compose: string, manifests: string) => compareYaml(compose, manifests).findings.filter((f) => f.rule.startsWith("volume."));
const passed = (compose: string, manifests: string) => compareYaml(compose, manifests).services[0]!.passed;
const workload = (mounts: string, volumes: string, kind = "Deployment", extra = "") => `apiVersion: apps/v1
kind: ${kind}
metadata: { name: db }
spec:
  ${extra}
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec:
      containers:
        - { name: db, image: db, volumeMounts: ${mounts} }
      volumes: ${volumes}
`;
const pvc = (name: string, modes = "[ReadWriteOnce]") => `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: ${name} }\nspec: { accessModes: ${modes}, resources: { requests: { storage: 1Gi } } }`;
const db = (...vols: string[]) => `services:\n  db:\n    image: db\n    volumes: [${vols.map((v) => `'${v}'`).join(", ")}]\nvolumes: { data: {}, sock: {} }\n`;

describe("paths", () => {
  it("trailing slashes on either side, one or several, are the same path", () => {
    const k8s = all(workload("[{ name: d, mountPath: /var/lib/data// }]", "[{ name: d, persistentVolumeClaim: { claimName: data } }]"), pvc("data"));
    expect(vol(db("data:/var/lib/data"), k8s)).toEqual([]);
    const k8s2 = all(workload("[{ name: d, mountPath: /var/lib/data }]", "[{ name: d, persistentVolumeClaim: { claimName: data } }]"), pvc("data"));
    expect(vol(db("data:/var/lib/data//"), k8s2)).toEqual([]);
  });
});

describe("what --json carries", () => {
  it("volume.missing names the workload and the compose mount", () => {
    expect(vol(db("data:/var/lib/data"), workload("[]", "[]"))[0]).toMatchObject({ rule: "volume.missing", workload: "Deployment/db", compose: "data:/var/lib/data" });
  });
  it("volume.not-persistent and volume.persistent name the workload (and the anonymous target)", () => {
    expect(vol(db("data:/d"), workload("[{ name: d, mountPath: /d }]", "[{ name: d, emptyDir: {} }]"))[0]).toMatchObject({ rule: "volume.not-persistent", workload: "Deployment/db" });
    const f = vol(db("/d"), all(workload("[{ name: d, mountPath: /d }]", "[{ name: d, persistentVolumeClaim: { claimName: data } }]"), pvc("data")))[0];
    expect(f).toMatchObject({ rule: "volume.persistent", workload: "Deployment/db", compose: "/d" });
  });
  it("volume.bind-mount names the workload", () => {
    expect(vol(db("./src:/app/src"), workload("[]", "[]"))[0]).toMatchObject({ rule: "volume.bind-mount", workload: "Deployment/db" });
  });
  it("volume.rwx-needed carries the claim's access modes", () => {
    const two = `services:\n  a:\n    image: a\n    volumes: ['data:/d']\n  b:\n    image: b\n    volumes: ['data:/d']\nvolumes: { data: {} }\n`;
    const w = (n: string) => workload("[{ name: d, mountPath: /d }]", "[{ name: d, persistentVolumeClaim: { claimName: data } }]").replaceAll("db", n);
    expect(vol(two, all(w("a"), w("b"), pvc("data", "[ReadWriteOnce, ReadOnlyMany]")))[0]).toMatchObject({ rule: "volume.rwx-needed", k8s: "ReadWriteOnce,ReadOnlyMany" });
    const k8sOnly = all(workload("[{ name: d, mountPath: /d }]", "[{ name: d, persistentVolumeClaim: { claimName: data } }]", "Deployment", "replicas: 2"), pvc("data", "[ReadWriteOnce, ReadOnlyMany]"));
    expect(vol(db("data:/d"), k8sOnly)[0]).toMatchObject({ rule: "volume.rwx-needed", k8s: "ReadWriteOnce,ReadOnlyMany", message: "PersistentVolumeClaim/data is mounted by 2 pods but is ReadWriteOnce, ReadOnlyMany" });
  });
  it("one service with replicas on a ReadWriteOnce claim says how many containers", () => {
    const c = `services:\n  db:\n    image: db\n    deploy: { replicas: 3 }\n    volumes: ['data:/d']\nvolumes: { data: {} }\n`;
    const f = vol(c, all(workload("[{ name: d, mountPath: /d }]", "[{ name: d, persistentVolumeClaim: { claimName: data } }]"), pvc("data")));
    expect(f.map((x) => x.message)).toEqual(['volume "data" is shared by db (3 containers), but PersistentVolumeClaim/data is ReadWriteOnce']);
  });
});

describe("mounts that are not named volumes", () => {
  it("an anonymous volume Kubernetes does not mount passes nothing; a tmpfs is no volume", () => {
    expect(passed(db("/cache"), workload("[]", "[]")).filter((p) => p.startsWith("anonymous"))).toEqual([]);
    const tmpfs = `services:\n  db:\n    image: db\n    volumes: [{ type: tmpfs, target: /cache }]\n`;
    expect(vol(tmpfs, all(workload("[{ name: c, mountPath: /cache }]", "[{ name: c, persistentVolumeClaim: { claimName: data } }]"), pvc("data")))).toEqual([]);
  });
  it("a mount naming no pod volume is not persistent storage, and no crash", () => {
    expect(vol(db("data:/d"), workload("[{ name: nowhere, mountPath: /d }]", "[]"))).toEqual([]);
  });
  it("a StatefulSet's claim template only backs the mount of its own name", () => {
    const sts = workload("[{ name: d, mountPath: /d }]", "[{ name: d, emptyDir: {} }]", "StatefulSet", "serviceName: db\n  volumeClaimTemplates: [{ metadata: { name: other }, spec: { accessModes: [ReadWriteOnce] } }]");
    expect(vol(db("data:/d"), sts).map((f) => f.rule)).toEqual(["volume.not-persistent"]);
  });
});

describe("the Docker socket", () => {
  const sockVol = (path: string) => `[{ name: s, hostPath: { path: ${path} } }]`;
  it("a socket bind on either side of the colon is infrastructure, not a dev bind mount", () => {
    const f = vol(db("/var/run/docker.sock:/tmp/docker.sock"), workload("[]", "[]"));
    expect(f.map((x) => x.rule)).toEqual(["volume.docker-socket"]);
    expect(f[0]).toMatchObject({ workload: "Deployment/db", compose: "/var/run/docker.sock:/tmp/docker.sock", message: "compose mounts the Docker socket (/var/run/docker.sock → /tmp/docker.sock), but Deployment/db mounts no hostPath socket" });
  });
  it("a hostPath with a trailing slash is still the Docker socket", () => {
    expect(vol(db("/var/run/docker.sock:/var/run/docker.sock"), workload("[{ name: s, mountPath: /var/run/docker.sock }]", sockVol("/var/run/docker.sock//")))).toEqual([]);
  });
  it("a named volume mounted at the socket path is no Docker socket", () => {
    expect(vol(db("sock:/var/run/docker.sock"), workload("[]", "[]")).map((f) => f.rule)).toEqual(["volume.missing"]);
  });
  it("Kubernetes only: names the mount path for --json", () => {
    expect(vol(db(), workload("[{ name: s, mountPath: /var/run/docker.sock }]", sockVol("/var/run/docker.sock")))[0]).toMatchObject({ workload: "Deployment/db", k8s: "/var/run/docker.sock" });
  });
  it("the node's runtime socket instead: a warning naming both; any other hostPath is no runtime socket", () => {
    const f = vol(db("/var/run/docker.sock:/var/run/docker.sock"), workload("[{ name: s, mountPath: /run/containerd/containerd.sock }]", sockVol("/run/containerd/containerd.sock")));
    expect(f[0]).toMatchObject({ severity: "warning", compose: "/var/run/docker.sock:/var/run/docker.sock", k8s: "/run/containerd/containerd.sock" });
    const g = vol(db("/var/run/docker.sock:/var/run/docker.sock"), workload("[{ name: s, mountPath: /data }]", sockVol("/data")));
    expect(g.map((x) => `${x.severity} ${x.rule}`)).toEqual(["error volume.docker-socket"]);
    const h = vol(db("/var/run/docker.sock:/var/run/docker.sock"), workload("[{ name: s, mountPath: /x }]", sockVol("/run/containerd/containerd.sock.d")));
    expect(h.map((x) => `${x.severity} ${x.rule}`)).toEqual(["error volume.docker-socket"]);
  });
});

describe("volume.bind-mount: a file a ConfigMap delivers on its directory", () => {
  it("a bound init script under a directory the workload fills from a ConfigMap is delivered, not a dev-only mount; an emptyDir there is no delivery", () => {
    const cm = (vol: string) => workload("[{ name: init, mountPath: /docker-entrypoint-initdb.d }]", `[{ name: init, ${vol} }]`);
    const compose = db("./init-data.sh:/docker-entrypoint-initdb.d/init-data.sh");
    expect(vol(compose, cm("configMap: { name: init-data }")).filter((f) => f.rule === "volume.bind-mount")).toEqual([]);
    // The same file (the ConfigMap key is its name) mounted beside it under another name.
    const beside = workload("[{ name: init, mountPath: /docker-entrypoint-initdb.d/init-user.sh, subPath: init-data.sh }]", "[{ name: init, configMap: { name: init-data } }]");
    expect(vol(compose, beside).filter((f) => f.rule === "volume.bind-mount")).toEqual([]);
    expect(vol(compose, beside.replace("subPath: init-data.sh", "subPath: other.sh")).filter((f) => f.rule === "volume.bind-mount")).toHaveLength(1);
    expect(vol(compose, cm("emptyDir: {}")).filter((f) => f.rule === "volume.bind-mount").map((f) => f.message)).toEqual([expect.stringMatching(/^bind mount \(dev only\): \/.*\/init-data\.sh → \/docker-entrypoint-initdb\.d\/init-data\.sh$/)]);
  });
});

describe("volume.file-missing: a compose secret mounted from an object the manifests lack", () => {
  it("is a warning naming the object (the pod does not start without it); optional volumes and present objects are fine", () => {
    const k8s = (optional: string) => workload("[{ name: tok, mountPath: /run/secrets/tok, subPath: tok }]", `[{ name: tok, secret: { secretName: tok${optional} } }]`);
    const compose = "services:\n  db:\n    image: db\n    secrets: [tok]\nsecrets:\n  tok: { environment: TOK }\n";
    const files = (m: string) => vol(compose, m).filter((f) => f.rule === "volume.file-missing").map((f) => `${f.severity} ${f.message}`);
    expect(files(k8s(""))).toEqual(['warning compose mounts secret "tok" as the file /run/secrets/tok; Deployment/db mounts it from Secret/tok, which is not in the manifests: the pod does not start until it exists']);
    expect(files(k8s(", optional: true"))).toEqual([]);
    expect(files(all(k8s(""), "apiVersion: v1\nkind: Secret\nmetadata: { name: tok }\nstringData: { tok: x-value-1 }"))).toEqual([]);
  });
});

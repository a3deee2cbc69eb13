// Rules volume.*: named volumes ↔ PVCs at the same mount path; a volume shared by several
// services (or replicas) needs ReadWriteMany; bind mounts of source code are dev-only (info);
// compose `secrets:` / `configs:` are files at a path, which a Secret or ConfigMap must provide.
import type { ComposeFileMount } from "../../compose/model.js";
import { volumeUsers } from "../../compose/roles.js";
import type { Container, Volume } from "../../kube/pod-spec.js";
import type { KubeObject } from "../../model/index.js";
import { ref, type RuleContext } from "../context.js";
import type { Workload } from "../workloads.js";

interface Backing {
  kind: "pvc" | "template" | "emptyDir" | "other";
  claim?: KubeObject;
}

export function checkVolumes(ctx: RuleContext): void {
  const users = volumeUsers(ctx.project);
  const claimsOfVolume = new Map<string, KubeObject[]>();
  for (const { service: s, workload: w, container: c } of ctx.pairs) {
    if (!w || !c) continue;
    const at = ref(w);
    const binds: string[] = [];
    for (const m of s.volumes) {
      const km = c.volumeMounts?.find((v) => v.mountPath.replace(/\/+$/, "") === m.target.replace(/\/+$/, ""));
      if (m.type === "bind") {
        if (isDockerSocket(m.source) || isDockerSocket(m.target)) continue; // infrastructure: checkDockerSocket
        // A directory mount above the target (a ConfigMap on /docker-entrypoint-initdb.d for a
        // bound init script) delivers the file otherwise: not a dev-only mount.
        // Or the same file (its name is the entry's key) mounted with subPath beside it under
        // another name: an init directory runs every script in it.
        const dirOf = (p: string) => p.replace(/\/+$/, "").replace(/\/[^/]*$/, "");
        const fileName = m.source?.replace(/\/+$/, "").split("/").pop();
        const above = km ?? c.volumeMounts?.find((v) => isKeyed(w.volumes.find((x) => x.name === v.name)) && (m.target.startsWith(`${v.mountPath.replace(/\/+$/, "")}/`) || (v.subPath !== undefined && v.subPath === fileName && dirOf(v.mountPath) === dirOf(m.target))));
        if (!above) binds.push(`${m.source} → ${m.target}`);
        else if (!km) ctx.sink.ok(s.name, `bind mount ${m.target}: ${at} mounts ${above.mountPath}`);
        continue;
      }
      if (m.type !== "volume") continue;
      if (!m.source) {
        // An anonymous volume is fresh for each new container: an emptyDir is its twin, a claim is not.
        const b = km && backing(ctx, w, km.name);
        if (b && (b.kind === "pvc" || b.kind === "template")) ctx.sink.add("volume.persistent", s.name, `${m.target} is an anonymous volume in compose (new with each container), but ${at} keeps it in ${b.claim ? `PersistentVolumeClaim/${b.claim.metadata.name}` : "a volumeClaimTemplate"}`, { workload: at, compose: m.target });
        else if (b) ctx.sink.ok(s.name, `anonymous volume ${m.target}`);
        continue;
      }
      if (!km) {
        ctx.sink.add("volume.missing", s.name, `named volume "${m.source}" is mounted at ${m.target} in compose, but ${at} mounts nothing there`, { workload: at, compose: `${m.source}:${m.target}` });
        continue;
      }
      const b = backing(ctx, w, km.name);
      if (b.kind === "emptyDir") ctx.sink.add("volume.not-persistent", s.name, `${m.target} is an emptyDir in ${at}; compose keeps it in named volume "${m.source}"`, { workload: at });
      else ctx.sink.ok(s.name, `volume ${m.source} → ${m.target}`);
      if (b.claim) claimsOfVolume.set(m.source, [...(claimsOfVolume.get(m.source) ?? []), b.claim]);
    }
    checkFiles(ctx, s.name, s.files, w, c);
    if (binds.length) ctx.sink.add("volume.bind-mount", s.name, `bind mount${binds.length > 1 ? "s" : ""} (dev only): ${binds.join(", ")}`, { workload: at });
    checkDockerSocket(ctx, s.name, s.volumes, w, c.volumeMounts ?? []);
  }
  checkSharing(ctx, users, claimsOfVolume);
}

/** Shared in compose (several services or replicas > 1) or in k8s (several workloads / replicas) → RWX. */
function checkSharing(ctx: RuleContext, users: Map<string, string[]>, claimsOfVolume: Map<string, KubeObject[]>): void {
  const reported = new Set<string>();
  for (const [volume, names] of users) {
    const replicas = names.map((n) => ctx.project.services[n]?.replicas ?? 1).reduce((a, b) => a + b, 0);
    const claims = claimsOfVolume.get(volume) ?? [];
    if (replicas < 2 && new Set(claims.map((c) => c.metadata.name)).size === claims.length) continue;
    for (const claim of claims) {
      if (reported.has(claim.metadata.name) || isRwx(claim)) continue;
      reported.add(claim.metadata.name);
      ctx.sink.add("volume.rwx-needed", names[0]!, `volume "${volume}" is shared by ${names.join(", ")}${replicas > names.length ? ` (${replicas} containers)` : ""}, but PersistentVolumeClaim/${claim.metadata.name} is ${accessModes(claim).join(", ") || "ReadWriteOnce"}`, { k8s: accessModes(claim).join(",") });
    }
  }
  // Kubernetes-side sharing the compose file does not show: one RWO claim in several pods.
  const mounts = new Map<string, number>();
  for (const w of ctx.workloads) {
    for (const v of w.volumes) if (v.persistentVolumeClaim) mounts.set(v.persistentVolumeClaim.claimName, (mounts.get(v.persistentVolumeClaim.claimName) ?? 0) + (w.replicas ?? 1));
  }
  for (const [name, pods] of mounts) {
    const claim = ctx.pvcs.get(name);
    if (pods < 2 || !claim || isRwx(claim) || reported.has(name)) continue;
    reported.add(name);
    ctx.sink.add("volume.rwx-needed", name, `PersistentVolumeClaim/${name} is mounted by ${pods} pods but is ${accessModes(claim).join(", ") || "ReadWriteOnce"}`, { k8s: accessModes(claim).join(",") });
  }
}

const DOCKER_SOCKETS = ["/var/run/docker.sock", "/run/docker.sock"];
const isDockerSocket = (path: string | undefined) => path !== undefined && DOCKER_SOCKETS.includes(path.replace(/\/+$/, ""));

/** The Docker socket is infrastructure the service needs (it starts containers): both sides mount it, or neither. */
function checkDockerSocket(ctx: RuleContext, service: string, composeMounts: { type: string; source?: string; target: string }[], w: Workload, mounts: { name: string; mountPath: string }[]): void {
  const inCompose = composeMounts.find((m) => m.type === "bind" && (isDockerSocket(m.source) || isDockerSocket(m.target)));
  const inK8s = mounts.find((km) => {
    const v = w.volumes.find((x) => x.name === km.name) as { hostPath?: { path?: string } } | undefined;
    return isDockerSocket(v?.hostPath?.path);
  });
  const at = ref(w);
  // A monitoring agent mounts the node's own runtime socket instead (containerd, CRI-O): a real
  // difference (a Docker client cannot use it), but not "no socket".
  const runtime = mounts.map((km) => (w.volumes.find((x) => x.name === km.name) as { hostPath?: { path?: string } } | undefined)?.hostPath?.path).find((p) => p !== undefined && /(containerd|crio|cri-dockerd|dockershim)\.sock$/.test(p));
  if (inCompose && inK8s) ctx.sink.ok(service, `Docker socket → ${inK8s.mountPath}`);
  else if (inCompose && runtime) ctx.sink.add("volume.docker-socket", service, `compose mounts the Docker socket (${inCompose.source} → ${inCompose.target}), ${at} mounts the node's runtime socket ${runtime} instead (a Docker client cannot use it)`, { workload: at, compose: `${inCompose.source}:${inCompose.target}`, k8s: runtime, severity: "warning" });
  else if (inCompose) ctx.sink.add("volume.docker-socket", service, `compose mounts the Docker socket (${inCompose.source} → ${inCompose.target}), but ${at} mounts no hostPath socket`, { workload: at, compose: `${inCompose.source}:${inCompose.target}` });
  else if (inK8s) ctx.sink.add("volume.docker-socket", service, `${at} mounts the node's Docker socket at ${inK8s.mountPath}, but compose mounts none`, { workload: at, k8s: inK8s.mountPath });
}

/** Compose mounts each granted secret or config as one file at its target; the container must
 *  have a file there: a volume entry through `subPath`, an entry (an item's path, or a key of the
 *  object) of a Secret/ConfigMap volume mounted on its directory, or a data volume whose content
 *  devenv cannot see. A Secret/ConfigMap volume mounted whole AT the target makes a directory of
 *  files there, not the file (kubernetes/kompose@c2dd9614 `pkg/transformer/kubernetes/kubernetes.go`,
 *  getSecretPathsLegacy: "files being placed in incorrect locations", kompose#1280). */
function checkFiles(ctx: RuleContext, service: string, files: ComposeFileMount[], w: Workload, c: Container): void {
  const at = ref(w);
  for (const f of files) {
    const found = fileAt(ctx, w, c, f.target);
    const absent = typeof found === "object" ? absentObject(ctx, found.volume) : undefined;
    if (absent) ctx.sink.add("volume.file-missing", service, `compose mounts ${f.kind} "${f.source}" as the file ${f.target}; ${at} mounts it from ${absent}, which is not in the manifests: the pod does not start until it exists`, { workload: at, compose: `${f.source}:${f.target}`, k8s: absent, severity: "warning" });
    else if (typeof found === "object") ctx.sink.ok(service, `${f.kind} ${f.source} → ${f.target}`);
    else if (found) ctx.sink.add("volume.file-missing", service, `compose mounts ${f.kind} "${f.source}" as the file ${f.target}, but ${at} mounts a directory there (${found}), not the file: mount the entry with subPath`, { workload: at, compose: `${f.source}:${f.target}`, k8s: found });
    else ctx.sink.add("volume.file-missing", service, `compose mounts ${f.kind} "${f.source}" as the file ${f.target}, but ${at} mounts nothing there`, { workload: at, compose: `${f.source}:${f.target}` });
  }
}

/** `{ volume }`: the container has a file at `target`, from that volume (undefined for a claim
 *  template); a string: a directory of those entries is there instead; undefined: nothing. */
function fileAt(ctx: RuleContext, w: Workload, c: Container, target: string): { volume?: Volume } | string | undefined {
  let directory: string | undefined;
  for (const km of c.volumeMounts ?? []) {
    const mp = km.mountPath.replace(/(.)\/+$/, "$1");
    const v = w.volumes.find((x) => x.name === km.name);
    if (km.subPath) {
      if (mp === target) return { volume: v };
      continue;
    }
    const entries = isKeyed(v) ? keyedEntries(ctx, v!) : null;
    if (entries === null) {
      // A claim, emptyDir or hostPath (or a claim template): its content is not in the manifests.
      if (target === mp || target.startsWith(`${mp}/`)) return { volume: v };
      continue;
    }
    if (target.startsWith(`${mp}/`) && (!entries || entries.includes(target.slice(mp.length + 1)))) return { volume: v };
    if (target === mp) directory = entries ? entries.map((e) => `${mp}/${e}`).join(", ") : `${mp}/…`;
  }
  return directory;
}

/** The Secret/ConfigMap (not optional) a file comes from when the manifests lack it (created by
 *  hand, or a kustomize generator input missing): the kubelet does not start the pod. */
function absentObject(ctx: RuleContext, v: Volume | undefined): string | undefined {
  if (v?.secret && !v.secret.optional && !ctx.secrets.has(v.secret.secretName ?? "")) return `Secret/${v.secret.secretName}`;
  if (v?.configMap && !v.configMap.optional && !ctx.configMaps.has(v.configMap.name ?? "")) return `ConfigMap/${v.configMap.name}`;
  return undefined;
}

const isKeyed = (v: Volume | undefined) => Boolean(v && (v.secret || v.configMap || v.projected));

/** The paths a Secret/ConfigMap/projected volume holds: its items' paths, else the object's keys;
 *  undefined when the object is not in the manifests. */
function keyedEntries(ctx: RuleContext, v: Volume): string[] | undefined {
  const one = (src: { items?: { path: string }[] } | undefined, obj: KubeObject | undefined): string[] | undefined =>
    src?.items?.length ? src.items.map((i) => i.path) : obj ? [...Object.keys((obj.data as object | undefined) ?? {}), ...Object.keys((obj.stringData as object | undefined) ?? {}), ...Object.keys((obj.binaryData as object | undefined) ?? {})] : undefined;
  if (v.secret) return one(v.secret, ctx.secrets.get(v.secret.secretName ?? ""));
  if (v.configMap) return one(v.configMap, ctx.configMaps.get(v.configMap.name ?? ""));
  const parts = (v.projected?.sources ?? []).map((p) => (p.secret ? one(p.secret, ctx.secrets.get(p.secret.name ?? "")) : p.configMap ? one(p.configMap, ctx.configMaps.get(p.configMap.name ?? "")) : []));
  return parts.some((p) => p === undefined) ? undefined : parts.flat() as string[];
}

function backing(ctx: RuleContext, w: Workload, volumeName: string): Backing {
  const tpl = w.claimTemplates.find((t) => t.metadata.name === volumeName);
  if (tpl) return { kind: "template" };
  const v = w.volumes.find((x) => x.name === volumeName);
  if (v?.persistentVolumeClaim) return { kind: "pvc", claim: ctx.pvcs.get(v.persistentVolumeClaim.claimName) };
  return { kind: v && "emptyDir" in v ? "emptyDir" : "other" };
}

function accessModes(claim: KubeObject): string[] {
  return ((claim.spec as Record<string, any> | undefined)?.accessModes ?? []) as string[];
}

function isRwx(claim: KubeObject): boolean {
  return accessModes(claim).includes("ReadWriteMany");
}

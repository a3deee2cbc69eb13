// Doctor checks of the addons devenv.ts enables, against what devenv.ts pins: each addon
// release's supported Kubernetes range (addons.lock.yaml) against the node image / k3s tag,
// the kind node image's digest, and ingress-nginx's retirement. Verdicts are pure.
import { addonOptions, addonReleases } from "../addons/addon-set.js";
import { compatibility, lockedAddon } from "../addons/lock.js";
import { nfsMountAdvice } from "../addons/probes.js";
import type { ClusterConfig } from "../config/schema.js";
import type { ProviderTraits } from "../cluster/traits.js";
import type { Check, CheckResult, DoctorOptions } from "./check.js";

type Verdict = Omit<CheckResult, "id" | "title">;

/** Addon releases against the Kubernetes version devenv.ts pins (none pinned: `up` checks against the server). Pure. */
export function addonVersionsVerdict(env: NonNullable<DoctorOptions["env"]>): Verdict {
  const o = addonOptions(env);
  const releases = addonReleases(o);
  if (releases.length === 0) return { status: "ok", detail: "no addons enabled" };
  if (!o.kubernetesVersion) {
    return { status: "ok", detail: `${releases.map((r) => `${r.name} ${r.release.version}`).join(", ")}; no Kubernetes version pinned in devenv.ts (cluster.nodeImage / cluster.k3sVersion): \`up\` checks them against the server` };
  }
  const results = releases.map((r) => compatibility(r.name, r.release, o.kubernetesVersion!));
  const bad = results.filter((r) => r.level !== "ok");
  if (bad.length === 0) return { status: "ok", detail: `Kubernetes ${o.kubernetesVersion}: ${results.map((r) => r.message).join("; ")}` };
  return {
    status: bad.some((r) => r.level === "error") ? "fail" : "warn",
    detail: bad.map((r) => r.message).join("; "),
    hint: "pin a Kubernetes version the addons support (cluster.nodeImage for kind, cluster.k3sVersion for k3d), or disable the addon in devenv.ts addons",
  };
}

/** The kind node image: pinned by digest, and one built for a kind release devenv knows? Pure. */
export function nodeImageVerdict(cluster: Pick<ClusterConfig, "nodeImage">, traits: Pick<ProviderTraits, "nodeImages">): Verdict | undefined {
  if (!traits.nodeImages) return undefined;
  const known = traits.nodeImages;
  const latest = known[known.length - 1]!;
  if (!cluster.nodeImage) return { status: "ok", detail: `kind's default for its release (kind v${latest.cli}: ${latest.image})` };
  const [named, digest] = cluster.nodeImage.split("@");
  const match = known.filter((k) => k.image.split("@")[0] === named);
  if (digest) {
    const exact = known.find((k) => k.image === cluster.nodeImage);
    return { status: "ok", detail: exact ? `${cluster.nodeImage} (kind v${exact.cli}'s default image)` : `${cluster.nodeImage} (pinned by digest)` };
  }
  return {
    status: "warn",
    detail: `${cluster.nodeImage} is not pinned by digest: a tag can be rebuilt for another kind release`,
    hint: match.length
      ? `use the digest of your kind release: ${match.map((m) => `kind v${m.cli}: ${m.image}`).join("; ")}`
      : `append @sha256:… from your kind release's notes (known: ${known.map((k) => `kind v${k.cli}: ${k.image}`).join("; ")})`,
  };
}

/** ingress-nginx is retired upstream: say so whenever it is enabled. Pure. */
export function ingressVerdict(env: NonNullable<DoctorOptions["env"]>): Verdict {
  const ingress = env.config.addons.ingress;
  if (!ingress.enabled) return { status: "ok", detail: "disabled" };
  const status = lockedAddon(ingress.controller).status;
  if (!status) return { status: "ok", detail: ingress.controller };
  return {
    status: "warn",
    detail: `${ingress.controller}: ${status}`,
    hint: "it still works, but gets no more fixes (security ones included); plan the move to Gateway API. addons.ingress.controller in devenv.ts chooses the controller",
  };
}

/** NFS on nodes that cannot mount it: the NFS addon would not work there (k3d uses a shared
 *  host directory instead, traits.rwx). Pure. */
export function nfsMountVerdict(env: NonNullable<DoctorOptions["env"]>, traits: Pick<ProviderTraits, "provider" | "kubeletNfsMount"> & Partial<Pick<ProviderTraits, "rwx">>): Verdict {
  if (!env.config.addons.nfs.enabled) return { status: "ok", detail: "disabled" };
  if (traits.rwx?.via === "shared-path") return { status: "ok", detail: `${traits.provider} nodes cannot mount NFS, so ReadWriteMany volumes live in one host directory every node mounts (${traits.rwx.nodePath})` };
  if (traits.kubeletNfsMount) return { status: "ok", detail: `${traits.provider} nodes can mount NFS` };
  const advice = nfsMountAdvice(traits);
  return { status: "warn", detail: advice.cause, hint: advice.hint };
}

/** The addon checks `devenv doctor` adds when devenv.ts loads. */
export function addonChecks(o: DoctorOptions): Check[] {
  const env = o.env;
  if (!env) return [];
  const image = nodeImageVerdict(env.config.cluster, o.traits);
  return [
    { id: "addon-versions", title: "addon versions", run: async () => addonVersionsVerdict(env) },
    ...(image ? [{ id: "node-image", title: "kind node image", run: async () => image }] : []),
    { id: "nfs-mount", title: "NFS (ReadWriteMany) on the nodes", run: async () => nfsMountVerdict(env, o.traits) },
    { id: "ingress-controller", title: "ingress controller", run: async () => ingressVerdict(env) },
  ];
}

// clusters/addons/addons.lock.yaml, read: the one source of addon versions, manifest files,
// image references and supported Kubernetes ranges. Which release a cluster gets, and whether
// its Kubernetes version is inside the release's range, are pure functions of the lock.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { DevenvError } from "../errors/devenv-error.js";
import { ADDONS_DIR } from "./manifests.js";

/** Minor-version range, inclusive on both ends (`"1.31"`); an absent end is open. */
export interface KubernetesRange {
  min?: string;
  max?: string;
}

export interface AddonRelease {
  version: string;
  /** Manifest path under clusters/addons/ (none for devenv's own probes). */
  file?: string;
  source?: string;
  /** images[0] is the main container's image; all are preloaded into the nodes. */
  images: string[];
  kubernetes?: KubernetesRange;
  /** Known failures: below `below`, the addon does not work. */
  breaks?: { below: string; reason: string }[];
  default?: boolean;
}

export interface LockedAddon {
  status?: string;
  releases: AddonRelease[];
}

export type AddonName = "ingress-nginx" | "metrics-server" | "nfs-ganesha" | "local-path-shared" | "probes";

const LOCK_FILE = `${ADDONS_DIR}addons.lock.yaml`;
let cached: Record<string, LockedAddon> | undefined;

function invalid(what: string): DevenvError {
  return new DevenvError(`clusters/addons/addons.lock.yaml is malformed: ${what}`, { hint: "restore it from git (`git diff clusters/addons/addons.lock.yaml`)" });
}

/** Parses and checks a lock document. Pure. */
export function parseLock(text: string): Record<string, LockedAddon> {
  const doc = parse(text) as { addons?: Record<string, LockedAddon> } | null;
  if (!doc?.addons || typeof doc.addons !== "object") throw invalid("no `addons` map");
  for (const [name, a] of Object.entries(doc.addons)) {
    if (!Array.isArray(a.releases) || a.releases.length === 0) throw invalid(`${name} has no releases`);
    if (a.releases.filter((r) => r.default).length !== 1) throw invalid(`${name} needs exactly one release marked default: true`);
    for (const r of a.releases) {
      if (typeof r.version !== "string" || !Array.isArray(r.images) || r.images.length === 0) throw invalid(`${name} release ${String(r.version)} needs a version and images`);
    }
  }
  return doc.addons;
}

/** The lock, read once. */
export function readLock(): Record<string, LockedAddon> {
  cached ??= parseLock(readFileSync(LOCK_FILE, "utf8"));
  return cached;
}

/** One addon's lock entry. */
export function lockedAddon(name: AddonName, lock = readLock()): LockedAddon {
  const a = lock[name];
  if (!a) throw invalid(`no entry for ${name}`);
  return a;
}

/** `[major, minor]` of `v1.34.2`, `1.34`, `v1.33.1-k3s1`; undefined if unreadable. */
export function minorOf(version: string): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const cmpMinor = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];

/** Is the version inside the range? undefined when the version is unreadable. */
export function inRange(version: string, range: KubernetesRange | undefined): boolean | undefined {
  const v = minorOf(version);
  if (!v) return undefined;
  const min = range?.min ? minorOf(range.min) : undefined;
  const max = range?.max ? minorOf(range.max) : undefined;
  return (!min || cmpMinor(v, min) >= 0) && (!max || cmpMinor(v, max) <= 0);
}

/** The release a cluster of this Kubernetes version gets: the first whose range holds it, else the default. */
export function selectRelease(addon: LockedAddon, kubernetesVersion?: string): AddonRelease {
  const fits = kubernetesVersion ? addon.releases.find((r) => r.kubernetes && inRange(kubernetesVersion, r.kubernetes)) : undefined;
  return fits ?? addon.releases.find((r) => r.default)!;
}

/** The release of a named addon for this Kubernetes version. */
export function addonRelease(name: AddonName, kubernetesVersion?: string): AddonRelease {
  return selectRelease(lockedAddon(name), kubernetesVersion);
}

export interface Compatibility {
  level: "ok" | "warning" | "error";
  message: string;
}

const rangeText = (r: KubernetesRange) => (r.min && r.max ? `${r.min}–${r.max}` : r.min ? `${r.min}+` : r.max ? `up to ${r.max}` : "any");

/** Is this release of `name` known to work on Kubernetes `version`? Pure. */
export function compatibility(name: string, release: AddonRelease, version: string): Compatibility {
  const v = minorOf(version);
  if (!v) return { level: "ok", message: `${name} ${release.version}: Kubernetes version ${version} unreadable, not checked` };
  const broken = (release.breaks ?? []).find((b) => { const below = minorOf(b.below); return below !== undefined && cmpMinor(v, below) < 0; });
  if (broken) return { level: "error", message: `${name} ${release.version} does not work on Kubernetes ${version}: ${broken.reason}` };
  if (release.kubernetes && inRange(version, release.kubernetes) === false) {
    return { level: "warning", message: `${name} ${release.version} supports Kubernetes ${rangeText(release.kubernetes)}, not ${version}: it may work, but upstream does not test it` };
  }
  return { level: "ok", message: `${name} ${release.version} supports Kubernetes ${version}${release.kubernetes ? ` (${rangeText(release.kubernetes)})` : ""}` };
}

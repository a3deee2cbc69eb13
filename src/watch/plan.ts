// The reload planner: given a batch of changed and deleted paths of one image, decide whether
// to sync them into the running containers (and what to run after) or to rebuild. Pure.
import { posix } from "node:path";
import type { SyncRule } from "../config/schema.js";
import type { AfterSync, ReloadRules } from "./rules.js";

/** One path that changed, relative to the build context (posix). */
export interface FileChange {
  path: string;
  /** `change` covers created and modified files. */
  kind: "change" | "delete";
}

/** A file to copy: `from` relative to the context, `to` absolute in the container. */
export interface SyncCopy {
  from: string;
  to: string;
}

export type ReloadPlan =
  | { kind: "none"; ignored: string[] }
  | { kind: "sync"; copies: SyncCopy[]; deletes: string[]; afterSync: AfterSync; ignored: string[] }
  | { kind: "rebuild"; reason: string; paths: string[] };

export interface PlanOptions {
  /**
   * Where the reload goes. Both targets sync for `restart` too: the service runs under devenv's
   * process supervisor, so only the process restarts and a pod keeps the synced files.
   */
  target?: "compose" | "cluster";
}

/** Decides what one batch of changes means for one image. */
export function planReload(changes: FileChange[], rules: ReloadRules, _opts: PlanOptions = {}): ReloadPlan {
  const latest = new Map<string, FileChange["kind"]>();
  for (const c of changes) latest.set(clean(c.path), c.kind); // the last event of a path wins
  const ignored: string[] = [];
  const copies: SyncCopy[] = [];
  const deletes: string[] = [];
  const rebuildFor: string[] = [];
  for (const [path, kind] of latest) {
    if (path === rules.dockerfile || path === ".dockerignore") {
      rebuildFor.push(path); // they change what the image is made of, even when ignored
      continue;
    }
    if (rules.ignored.ignores(path)) {
      ignored.push(path);
      continue;
    }
    if (rules.rebuildOn?.ignores(path)) {
      rebuildFor.push(path);
      continue;
    }
    const dest = destinationOf(path, rules.sync);
    if (dest === undefined) {
      if (rules.rebuildOn) ignored.push(path); // rebuildOn given: only it triggers rebuilds
      else rebuildFor.push(path);
      continue;
    }
    if (kind === "delete") deletes.push(dest);
    else copies.push({ from: path, to: dest });
  }
  if (rebuildFor.length > 0) {
    return { kind: "rebuild", reason: `${rebuildFor[0]} ${rebuildFor.length > 1 ? `(+${rebuildFor.length - 1} more) ` : ""}is not covered by a sync rule`, paths: rebuildFor.sort() };
  }
  if (copies.length === 0 && deletes.length === 0) return { kind: "none", ignored };
  copies.sort((a, b) => a.to.localeCompare(b.to));
  return { kind: "sync", copies, deletes: deletes.sort(), afterSync: rules.afterSync, ignored };
}

/** Where `path` goes in the container under the most specific rule, or undefined. */
export function destinationOf(path: string, sync: SyncRule[]): string | undefined {
  let best: SyncRule | undefined;
  for (const rule of sync) {
    const covers = rule.from === "." || path === rule.from || path.startsWith(`${rule.from}/`);
    if (covers && (!best || specificity(rule) > specificity(best))) best = rule;
  }
  if (!best) return undefined;
  if (path === best.from) return best.to;
  const rest = best.from === "." ? path : path.slice(best.from.length + 1);
  return posix.join(best.to, rest);
}

/**
 * The directory syncs may write to in a container: the top of its working directory
 * (`/app/api` → `/app`), so an app's sibling dirs (`/app/lib`) are reachable but `/etc`,
 * `/usr` or `/` are not. Pure.
 */
export function syncRoot(workdir: string): string {
  const first = posix.normalize(workdir || "/").split("/").filter(Boolean)[0];
  return first ? `/${first}` : "/";
}

/** Whether container path `p` lies inside directory `dir` (both absolute). */
export function isInside(p: string, dir: string): boolean {
  const d = posix.normalize(dir || "/").replace(/\/+$/, "") || "/";
  const n = posix.normalize(p);
  return d === "/" || n === d || n.startsWith(`${d}/`);
}

function specificity(rule: SyncRule): number {
  return rule.from === "." ? 0 : rule.from.split("/").length;
}

function clean(p: string): string {
  return posix.normalize(p.split("\\").join("/")).replace(/^\.\//, "");
}

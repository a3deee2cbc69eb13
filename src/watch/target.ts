// What a sync is applied to: a running compose container or a container of a pod. The
// session talks to both through this interface; docker-target.ts and kube-target.ts adapt.
import type { BuiltImage } from "../model/index.js";
import type { AfterSync } from "./rules.js";

/** One running container that receives synced files. */
export interface SyncTarget {
  /** What the status line names, e.g. `container shop-web-1` or `pod web-5d9f/web`. */
  label: string;
  /** The container's working directory: sync destinations must lie inside it. */
  workdir(): Promise<string>;
  /**
   * Unpacks `tar` (entry names relative to "/") at "/", then removes `deletes`. With `restart`
   * it may also restart the process in the same exec (the sync agent signals the supervisor):
   * `restarted: true` says it did, so after("restart") is not needed.
   */
  sync(tar: Buffer, deletes: string[], opts?: { restart?: boolean }): Promise<{ restarted?: boolean } | void>;
  /** Runs the afterSync action (`none` does nothing; `restart` restarts the process under the supervisor). */
  after(action: AfterSync): Promise<void>;
}

/** Where the watch applies reloads: compose containers or cluster pods. */
export interface TargetDriver {
  kind: "compose" | "cluster";
  /** The running containers of the image as built now. */
  targets(image: BuiltImage): Promise<SyncTarget[]>;
  /** Rebuilds the image and replaces its containers / rolls its workloads; returns what was replaced. */
  rebuild(name: string, current: BuiltImage | undefined, onProgress: (line: string) => void): Promise<{ image: BuiltImage; replaced: string[] }>;
  /** Releases what the driver keeps open (sync agents). */
  close?(): Promise<void>;
}

// One interface for the three ways images reach a cluster: pushed to a local registry, or
// imported into the containerd of each kind or k3d node container. Every loader first asks
// its targets what they already hold, so an unchanged image transfers nothing.
import type { LoadImage } from "./node-store.js";

export type { LoadImage } from "./node-store.js";

/** What happened to one image on one target. */
export interface LoadReport {
  /** Node container name, or the registry host. */
  target: string;
  ref: string;
  /** present: nothing to do; tagged: only a name was added; imported/pushed: data travelled. */
  action: "present" | "tagged" | "imported" | "pushed";
  /** Bytes streamed to the target (0 unless imported/pushed). */
  bytes: number;
  /** Layers uploaded (registry only). */
  layersPushed?: number;
}

export interface ImageLoader {
  /** How images travel, for messages: "registry", or the provider whose nodes import them. */
  readonly via: string;
  /** Node container names, or the registry host. */
  readonly targets: readonly string[];
  /** Which images (refs) each target still lacks. Reads only. */
  missing(images: LoadImage[]): Promise<Map<string, string[]>>;
  /** Places the images on every target that lacks them. Idempotent. */
  load(images: LoadImage[], onProgress?: (line: string) => void): Promise<LoadReport[]>;
}

/** One line per target for plans and summaries, e.g. `kind node dev-control-plane: api (imported, 12.3 MB)`. */
export function describeReports(reports: LoadReport[]): string[] {
  const byTarget = new Map<string, LoadReport[]>();
  for (const r of reports) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r]);
  return [...byTarget].map(([target, rs]) => `${target}: ${rs.map((r) => `${r.ref} (${r.action}${r.bytes ? `, ${formatBytes(r.bytes)}` : ""}${r.layersPushed !== undefined && r.action === "pushed" ? `, ${r.layersPushed} layer${r.layersPushed === 1 ? "" : "s"}` : ""})`).join(", ")}`);
}

/** `12.3 MB`. */
export function formatBytes(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} kB` : `${(n / 1024 / 1024).toFixed(1)} MB`;
}

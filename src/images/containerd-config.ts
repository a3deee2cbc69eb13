// Which snapshotter a node's CRI plugin unpacks images with, read from `containerd config dump`
// as TOML (kind does the same: kubernetes-sigs/kind pkg/cluster/nodeutils/util.go
// parseSnapshotter). containerd 1.x writes config version 2 with double-quoted strings;
// containerd 2.x writes version 3 (2.1+: 4) and may use single-quoted literal strings, which is
// why a regex over the text is not enough. Pure.
import { parse } from "smol-toml";

type Table = Record<string, unknown>;

const at = (root: unknown, path: string[]): unknown => path.reduce<unknown>((t, k) => (t && typeof t === "object" ? (t as Table)[k] : undefined), root);

/** Where each config version keeps the CRI snapshotter. */
const SNAPSHOTTER_PATH: Record<number, string[]> = {
  2: ["plugins", "io.containerd.grpc.v1.cri", "containerd", "snapshotter"],
  3: ["plugins", "io.containerd.cri.v1.images", "snapshotter"],
  4: ["plugins", "io.containerd.cri.v1.images", "snapshotter"],
};

/**
 * The snapshotter named by a `containerd config dump`, or undefined when the dump cannot be
 * read (not TOML, unknown version, no snapshotter key): the caller then leaves ctr's default.
 */
export function parseSnapshotter(dump: string): string | undefined {
  let doc: Table;
  try {
    doc = parse(dump) as Table;
  } catch {
    return undefined;
  }
  const version = doc.version;
  const path = typeof version === "number" || typeof version === "bigint" ? SNAPSHOTTER_PATH[Number(version)] : undefined;
  if (!path) return undefined;
  const value = at(doc, path);
  return typeof value === "string" && value !== "" ? value : undefined;
}

// What a node's containerd holds, from `ctr -n k8s.io images ls`, and what it therefore needs.
// Pure. Two ways to tell "does this node hold this image under this name?" without pulling:
// - Docker's classic store: the CRI plugin names every image it manages also by its ID
//   (`sha256:<config digest>`, the same as the Docker image ID) pointing at the same manifest;
// - Docker's containerd image store: the image ID is the index digest, which the node never sees,
//   but the manifest (or index) digest `docker save` exports is what the node's ref points at
//   (LoadImage.digest, from exportedDigest() in engine.ts), so the names are compared by it.

/** One row of `ctr images ls`. */
export interface NodeImageRow {
  ref: string;
  /** Manifest (or index) digest the name points at. */
  digest: string;
}

/** An image to place on nodes: the name the cluster uses and the engine's image ID. */
export interface LoadImage {
  ref: string;
  id: string;
  /** Containerd image store only: the manifest (or index) digest the node's ref points at once
   *  imported. Undefined on the classic store, where only the config digest (id) is shared. */
  digest?: string;
}

/** What to do with one image on one node. */
export type NodeAction = { kind: "present" } | { kind: "tag"; from: string } | { kind: "import" } | { kind: "verify"; digest: string };

/** Parses `ctr images ls` (the table; the header line is skipped). */
export function parseImageList(text: string): NodeImageRow[] {
  const rows: NodeImageRow[] = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    const cols = line.trim().split(/\s+/);
    const digest = cols.find((c) => /^sha256:[0-9a-f]{64}$/.test(c) && c !== cols[0]);
    if (cols[0] && digest) rows.push({ ref: cols[0], digest });
  }
  return rows;
}

/** The fully qualified name containerd stores: `redis:7` → `docker.io/library/redis:7`. */
export function containerdRef(ref: string): string {
  let name = ref;
  const slash = name.indexOf("/");
  const first = slash < 0 ? "" : name.slice(0, slash);
  const hasRegistry = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  if (!hasRegistry) name = `docker.io/${slash < 0 ? "library/" : ""}${name}`;
  const lastSlash = name.lastIndexOf("/");
  if (!name.includes("@") && name.lastIndexOf(":") < lastSlash) name += ":latest";
  return name;
}

/** Decides per image: already there, only a name missing (retag), or import. */
export function planNode(rows: NodeImageRow[], images: LoadImage[]): Map<string, NodeAction> {
  const byRef = new Map(rows.map((r) => [r.ref, r.digest]));
  const out = new Map<string, NodeAction>();
  for (const img of images) {
    if (img.digest) {
      out.set(img.ref, planByDigest(rows, containerdRef(img.ref), img.digest));
      continue;
    }
    const named = byRef.get(containerdRef(img.ref));
    const byId = byRef.get(img.id);
    if (named && byId) out.set(img.ref, named === byId ? { kind: "present" } : { kind: "tag", from: img.id });
    else if (byId) out.set(img.ref, { kind: "tag", from: img.id });
    // Named but no ID row: CRI is not watching (plain containerd); read the manifest to be sure.
    else if (named) out.set(img.ref, { kind: "verify", digest: named });
    else out.set(img.ref, { kind: "import" });
  }
  return out;
}

/** Containerd image store: present when the name points at the exported digest; a retag from
 *  any other name that does (an earlier import, the CRI's ID name); else import. */
function planByDigest(rows: NodeImageRow[], name: string, digest: string): NodeAction {
  if (rows.some((r) => r.ref === name && r.digest === digest)) return { kind: "present" };
  const other = rows.find((r) => r.digest === digest && r.ref !== name);
  return other ? { kind: "tag", from: other.ref } : { kind: "import" };
}

/** The config digest (= image ID) a manifest names; undefined for an index or garbage. */
export function configDigestOf(manifestJson: string): string | undefined {
  try {
    const m = JSON.parse(manifestJson) as { config?: { digest?: string } };
    return m.config?.digest;
  } catch {
    return undefined;
  }
}

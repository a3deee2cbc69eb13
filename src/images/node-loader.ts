// Loads images into kind or k3d node containers: one streamed `docker save` of the images a
// group of nodes lacks, piped into `ctr --namespace=k8s.io images import --digests -` on each
// of them concurrently (what `kind load docker-image` does, minus its temp file).
import { PassThrough } from "node:stream";
import { requireDocker, type DockerClient } from "../docker/client.js";
import { DevenvError } from "../errors/devenv-error.js";
import { exportedDigest, savePlatform, usesContainerdStore } from "./engine.js";
import { formatBytes, type ImageLoader, type LoadReport } from "./loader.js";
import { execInNode, type NodeExecResult } from "./node-exec.js";
import { configDigestOf, containerdRef, parseImageList, planNode, type LoadImage } from "./node-store.js";
import { parseSnapshotter } from "./containerd-config.js";

// A stopped containerd should fail fast, not hang the load.
const CTR = ["ctr", "--namespace=k8s.io", "--connect-timeout=3s"];

export class NodeLoader implements ImageLoader {
  constructor(
    readonly via: string,
    readonly targets: readonly string[],
  ) {}

  async missing(images: LoadImage[]): Promise<Map<string, string[]>> {
    const d = await requireDocker();
    images = await withExportedDigests(d, images);
    const plans = await Promise.all(this.targets.map((node) => this.plan(d, node, images)));
    return new Map(this.targets.map((node, i) => [node, [...plans[i]!].filter(([, a]) => a !== "present").map(([ref]) => ref)]));
  }

  async load(images: LoadImage[], onProgress: (line: string) => void = () => {}): Promise<LoadReport[]> {
    const d = await requireDocker();
    images = await withExportedDigests(d, images);
    const reports: LoadReport[] = [];
    const plans = await Promise.all(this.targets.map((node) => this.plan(d, node, images)));
    // Nodes that lack the same set of images share one `docker save` stream.
    const groups = new Map<string, { refs: string[]; nodes: string[] }>();
    await Promise.all(this.targets.map(async (node, i) => {
      const toImport: string[] = [];
      for (const [ref, action] of plans[i]!) {
        if (action === "present") reports.push({ target: node, ref, action: "present", bytes: 0 });
        else if (action === "import") toImport.push(ref);
        else {
          await this.ctr(d, node, ["images", "tag", "--force", action.from, containerdRef(ref)], `tagging ${ref}`);
          reports.push({ target: node, ref, action: "tagged", bytes: 0 });
        }
      }
      if (toImport.length === 0) return;
      const key = toImport.join("\n");
      const g = groups.get(key) ?? { refs: toImport, nodes: [] };
      g.nodes.push(node);
      groups.set(key, g);
    }));
    for (const { refs, nodes } of groups.values()) {
      onProgress(`importing ${refs.join(", ")} into ${nodes.join(", ")}`);
      const results = await this.importInto(d, refs, nodes, onProgress);
      // One tar carries all the refs (shared layers once); each ref is credited an equal share.
      for (const [j, node] of nodes.entries()) for (const ref of refs) reports.push({ target: node, ref, action: "imported", bytes: Math.round(results[j]!.bytesIn / refs.length) });
    }
    return reports;
  }

  /** Per image on one node: "present", "import", or a tag to add. */
  private async plan(d: DockerClient, node: string, images: LoadImage[]): Promise<Map<string, "present" | "import" | { from: string }>> {
    const list = await this.ctr(d, node, ["images", "ls"], "listing images");
    const out = new Map<string, "present" | "import" | { from: string }>();
    for (const [ref, action] of planNode(parseImageList(list.stdout), images)) {
      if (action.kind === "verify") {
        const got = await execInNode(d, node, [...CTR, "content", "get", action.digest]);
        const id = images.find((i) => i.ref === ref)!.id;
        out.set(ref, configDigestOf(got.stdout) === id ? "present" : "import");
      } else out.set(ref, action.kind === "tag" ? { from: action.from } : action.kind);
    }
    return out;
  }

  private readonly snapshotters = new Map<string, Promise<string | undefined>>();

  /** The snapshotter the node's CRI uses (kind reads it the same way); undefined: ctr's default. */
  private snapshotterOf(d: DockerClient, node: string): Promise<string | undefined> {
    let known = this.snapshotters.get(node);
    if (!known) {
      // The whole dump, parsed as TOML: containerd 2 writes single-quoted strings and moves the key.
      known = execInNode(d, node, ["sh", "-c", "containerd config dump 2>/dev/null"]).then((r) => (r.exitCode === 0 ? parseSnapshotter(r.stdout) : undefined));
      this.snapshotters.set(node, known);
    }
    return known;
  }

  private async ctr(d: DockerClient, node: string, args: string[], what: string): Promise<NodeExecResult> {
    const r = await execInNode(d, node, [...CTR, ...args]);
    if (r.exitCode !== 0) throw nodeFailed(node, what, r);
    return r;
  }

  private async importInto(d: DockerClient, refs: string[], nodes: string[], onProgress: (line: string) => void): Promise<NodeExecResult[]> {
    // Containerd image store: save only the engine's platform, or a multi-platform image whose
    // other platforms are not present locally fails to save/import (kind#3795).
    const platform = await savePlatform(d);
    let save: NodeJS.ReadableStream;
    try {
      // `docker save` of several images at once (GET /images/get).
      save = await d.images.save(refs, platform);
    } catch (e) {
      throw saveFailed(refs, e);
    }
    const snapshotters = await Promise.all(nodes.map((node) => this.snapshotterOf(d, node)));
    const branches = nodes.map(() => new PassThrough({ highWaterMark: 4 * 1024 * 1024 }));
    for (const b of branches) save.pipe(b);
    let sent = 0;
    let shown = 0;
    save.on("data", (b: Buffer) => {
      sent += b.length;
      // A line per 32 MB: large loads show they are moving without flooding the step.
      if (sent - shown >= 32 * 1024 * 1024) {
        shown = sent;
        onProgress(`${formatBytes(sent)} streamed to ${nodes.join(", ")}`);
      }
    });
    const saveError = new Promise<never>((_, reject) => save.on("error", (e: unknown) => reject(saveFailed(refs, e))));
    const results = await Promise.race([
      Promise.all(nodes.map(async (node, i) => {
        const snap = snapshotters[i] ? [`--snapshotter=${snapshotters[i]}`] : [];
        const r = await execInNode(d, node, [...CTR, "images", "import", "--digests", ...snap, "-"], branches[i]);
        if (r.exitCode !== 0) throw nodeFailed(node, `importing ${refs.join(", ")}`, r);
        return r;
      })),
      saveError,
    ]);
    return results;
  }
}

/** With the containerd image store, each image's exported manifest digest (what the node's ref
 *  will point at); on the classic store the images as they are (compared by config digest). */
export async function withExportedDigests(d: DockerClient, images: LoadImage[]): Promise<LoadImage[]> {
  if (!usesContainerdStore(await d.info())) return images;
  const { platform } = await savePlatform(d);
  return Promise.all(images.map(async (img) => {
    try {
      // `manifests` only where the save asks one platform (API 1.48+, where the parameter exists).
      const digest = exportedDigest(await d.images.inspect(img.ref, { manifests: platform !== undefined }), platform);
      return digest ? { ...img, digest } : img;
    } catch {
      // Not in the engine: the save names the problem.
      return img;
    }
  }));
}

function nodeFailed(node: string, what: string, r: NodeExecResult): DevenvError {
  const output = (r.stderr || r.stdout).trim();
  const down = /connection refused|no such file or directory.*containerd\.sock|failed to dial/i.test(output);
  return new DevenvError(`node ${node}: ${what} failed (exit ${r.exitCode})`, {
    details: output,
    hint: down ? `containerd is not running in node ${node}; restart the node (\`docker restart ${node}\`) or recreate the cluster` : `see the output above; \`docker exec ${node} ctr -n k8s.io images ls\` shows what the node holds`,
  });
}

function saveFailed(refs: string[], e: unknown): DevenvError {
  const msg = e instanceof Error ? e.message : String(e);
  const missing = /no such image|not found|404/i.test(msg);
  return new DevenvError(`cannot save ${refs.join(", ")} from the local Docker engine: ${msg}`, {
    cause: e,
    hint: missing
      ? "the image is not in the local image cache: pull it once (`docker pull <image>`) or map it to a local image in devenv.ts `imageOverrides`"
      : "with Docker's containerd image store, a multi-platform image may lack some platforms locally (kind#3795); pull it for your platform (`docker pull --platform linux/<arch> <image>`)",
  });
}

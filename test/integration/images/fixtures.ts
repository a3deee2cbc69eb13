// Shared fixtures for the images integration tests: a temp project with small Dockerfiles on
// the local base images, a LoadedEnv for it, and unique names for what the tests create.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { envSchema, type EnvInput } from "../../../src/config/schema.js";
import type { LoadedEnv } from "../../../src/config/load.js";
import { docker } from "../../../src/docker/client.js";
import { execInNode } from "../../../src/images/node-exec.js";

/** A random suffix so parallel or aborted runs never collide. */
export const suffix = () => randomBytes(4).toString("hex");

/** A temp project: `files` maps relative paths to contents. */
export function project(files: Record<string, string>): { dir: string; write(path: string, text: string): void; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "devenv-img-"));
  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  for (const [p, t] of Object.entries(files)) write(p, t);
  return { dir, write, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A LoadedEnv rooted at `dir`, as loadEnv would return it. */
export function envAt(dir: string, input: Omit<EnvInput, "name"> & { name?: string }): LoadedEnv {
  const config = envSchema.parse({ name: "imgtest", ...input });
  return { config, file: join(dir, "devenv.ts"), root: dir, namespace: config.name };
}

/** Removes images by repository (all tags), ignoring ones already gone. */
export async function removeRepository(repository: string): Promise<void> {
  const d = await docker();
  const list = await d.images.list({ filters: { reference: [repository] } });
  for (const img of list) await d.images.remove(img.Id, { force: true }).catch(() => {});
}

/** Starts a kind-like node container (containerd inside) and waits until `ctr` answers. */
export async function startNode(name: string): Promise<void> {
  const d = await docker();
  const id = await d.containers.create({
    Image: "devenv-local/kind-node:latest",
    name,
    Labels: { "devenv.test": "images" },
    HostConfig: {
      CapAdd: ["ALL"],
      CapDrop: ["SYS_RESOURCE"],
      SecurityOpt: ["seccomp=unconfined"],
      Tmpfs: { "/run": "", "/tmp": "" },
      AutoRemove: false,
    },
    Volumes: { "/var/lib/containerd": {} },
  });
  await d.containers.start(id);
  for (let i = 0; i < 100; i++) {
    if ((await execInNode(d, id, ["ctr", "version"])).exitCode === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`node ${name}: containerd did not come up`);
}

/** Removes containers with their anonymous volumes, ignoring ones already gone. */
export async function removeContainers(names: string[]): Promise<void> {
  const d = await docker();
  await Promise.all(names.map((n) => d.containers.remove(n, { force: true, v: true }).catch(() => {})));
}

/** `ctr -n k8s.io images ls -q` in a node, via the docker CLI (independent of the code under test). */
export async function nodeImageNames(node: string): Promise<string[]> {
  const { execa } = await import("execa");
  const r = await execa("docker", ["exec", node, "ctr", "-n", "k8s.io", "images", "ls", "-q"]);
  return r.stdout.split("\n").filter(Boolean);
}

/** Runs Debian's registry binary on a free localhost port with storage in a temp dir. */
export async function startRegistry(): Promise<{ host: string; stop(): Promise<void> }> {
  const { createServer } = await import("node:net");
  const { execa } = await import("execa");
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  const dir = mkdtempSync(join(tmpdir(), "devenv-registry-"));
  writeFileSync(join(dir, "config.yml"), `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const proc = execa("/usr/bin/docker-registry", ["serve", join(dir, "config.yml")], { reject: false });
  const host = `localhost:${port}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`http://${host}/v2/`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i === 99) throw new Error("registry did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    stop: async () => {
      proc.kill();
      await proc;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

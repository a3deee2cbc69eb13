// Shared setup of the stacks' end-to-end tests: copy a stack to a temp dir under a unique compose
// project, free host ports, build its images, JSON requests, and the cluster side of a stack
// against the test API server.
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { loadEnv, type LoadedEnv } from "../../../src/config/load.js";
import { buildImages } from "../../../src/images/build.js";
import type { BuiltImage } from "../../../src/model/index.js";
import type { UpContext } from "../../../src/up/context.js";
import { applyAppsStep, applyDataStep, renderManifestsStep } from "../../../src/up/steps/manifests.js";
import { repoRoot } from "../../helpers/cli.js";
import { startKubeApiServer, type KubeApiServer } from "../../helpers/kube-api-server/index.js";
import { drive } from "../kube/fixtures.js";

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** Builds every image of the stack (content tags: unchanged ones are reused). */
export async function buildAll(env: LoadedEnv): Promise<Map<string, BuiltImage>> {
  const built = await buildImages(env, Object.keys(env.config.images));
  return new Map(built.map((b) => [b.name, b]));
}

/** GET/POST JSON against the stack. */
export async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: any }> {
  const r = await fetch(url, init);
  return { status: r.status, body: await r.json() };
}

/**
 * Copies parts of the repo (`paths`, relative to it) to a temp dir, so a test can run the CLI
 * there and edit sources without touching the committed fixtures. The copied devenv.ts gets
 * `projectName` (a unique compose project), and `import "devenv"` resolves to this checkout.
 */
export function copyStack(paths: string[], envFile: string, projectName: string): string {
  const root = mkdtempSync(join(tmpdir(), "devenv-stack-"));
  for (const p of paths) cpSync(join(repoRoot, p), join(root, p), { recursive: true, filter: (src) => !src.includes("/.devenv") });
  const file = join(root, envFile);
  const source = readFileSync(file, "utf8");
  const renamed = source.replace(/projectName: "[^"]*"/, `projectName: "${projectName}"`);
  if (renamed === source) throw new Error(`${envFile} names no compose projectName to replace`);
  writeFileSync(file, renamed);
  // An ESM project, like this repo, so devenv.ts's `import ... from "devenv"` takes the ESM export.
  writeFileSync(join(root, "package.json"), '{ "type": "module" }\n');
  mkdirSync(join(root, "node_modules"));
  symlinkSync(repoRoot, join(root, "node_modules", "devenv"), "dir");
  return root;
}

/**
 * A test API server for the file's tests (KUBECONFIG points at it; waits give up after 15 s) and
 * the stacks copied for it, removed afterwards. `server()` is valid inside tests and hooks.
 */
export function useTestApiServer(): { server: () => KubeApiServer; stack: (paths: string[], envFile: string) => Promise<{ ctx: UpContext; root: string }> } {
  const saved = { KUBECONFIG: process.env.KUBECONFIG, DEVENV_WAIT_TIMEOUT_MS: process.env.DEVENV_WAIT_TIMEOUT_MS };
  let server: KubeApiServer | undefined;
  const roots: string[] = [];
  beforeAll(async () => {
    server = await startKubeApiServer();
    process.env.KUBECONFIG = server.kubeconfig();
    process.env.DEVENV_WAIT_TIMEOUT_MS = "15000";
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await server?.close();
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });
  return {
    server: () => server!,
    /** The stack's up context for the test server, with made-up content tags for its images (no build). */
    async stack(paths, envFile) {
      const root = copyStack(paths, envFile, `devenv-test-${randomBytes(3).toString("hex")}`);
      roots.push(root);
      const env = await loadEnv(envFile, root);
      const images = new Map<string, BuiltImage>(
        Object.entries(env.config.images).map(([name, img]) => [name, { name, repository: img.image, ref: `${img.image}:devenv-0123456789ab`, id: "sha256:x", built: true }]),
      );
      const ctx: UpContext = { env, target: "cluster", dryRun: false, yes: true, verbose: false, watch: false, images, cluster: { provider: "existing", name: "test", context: "test", nodes: [] }, log: () => {} };
      return { ctx, root };
    },
  };
}

/** render-manifests + apply-data + apply-apps while playing the controllers (workloads become
 *  ready, Jobs complete); returns the lines the steps printed. */
export async function applyStack(server: KubeApiServer, ctx: UpContext): Promise<string[]> {
  const lines: string[] = [];
  const task = { output: (l: string) => lines.push(l), title: () => {}, skipped: () => {} };
  const ns = ctx.env.namespace;
  const stop = drive(server, (kind, name) => (kind === "Job" ? server.completeJob(ns, name) : server.setWorkloadReady(ns, `${kind.toLowerCase()}/${name}`)), ns);
  try {
    await renderManifestsStep.run(ctx, task);
    await applyDataStep.run(ctx, task);
    await applyAppsStep.run(ctx, task);
  } finally {
    stop();
  }
  return lines;
}

// A tiny web app for the hot-reload tests and the bench: a build context whose server serves
// files from its working directory, and a running container of it on a free host port.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DockerClient } from "../../../src/docker/client.js";
import { envSchema, type EnvInput } from "../../../src/config/schema.js";
import type { LoadedEnv } from "../../../src/config/load.js";

export const SERVER_JS = `
const http = require("http"), fs = require("fs"), path = require("path");
http.createServer((req, res) => {
  if (req.url === "/env") return res.end(process.env.GREETING || "unset");
  if (req.url === "/pid") return res.end(String(process.pid));
  const file = path.join(process.cwd(), "public", path.normalize(req.url).replace(/^\\/+/, ""));
  fs.readFile(file, (err, body) => { res.statusCode = err ? 404 : 200; res.end(err ? "missing" : body); });
}).listen(8080);
`;

export function dockerfile(greeting: string): string {
  return `FROM devenv-local/node:20\nWORKDIR /app\nENV GREETING=${greeting}\nCOPY . /app\nCMD ["node", "server.js"]\n`;
}

/** Writes the app into a fresh temp dir; returns the devenv root (the context is `<root>/web`). */
export function writeApp(prefix: string): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(root, "web", "public"), { recursive: true });
  writeFileSync(join(root, "web", "Dockerfile"), dockerfile("v1"));
  writeFileSync(join(root, "web", "server.js"), SERVER_JS);
  writeFileSync(join(root, "web", ".dockerignore"), "**/*.tmp\n");
  writeFileSync(join(root, "web", "public", "index.html"), "hello v1");
  return root;
}

/** A LoadedEnv for the app with the given image settings (sync public/ by default). */
export function appEnv(root: string, name: string, image: Partial<NonNullable<EnvInput["images"]>[string]> = {}): LoadedEnv {
  const config = envSchema.parse({
    name,
    images: { web: { image: `devenv-test/${name}`, context: "web", sync: [{ from: "public", to: "/app/public" }], ...image } },
    watch: { debounceMs: 20 },
  });
  return { config, file: join(root, "devenv.ts"), root, namespace: name };
}

/** Starts a container of `ref` named `name` with port 8080 published on a free host port. */
export async function runApp(d: DockerClient, ref: string, name: string, project: string, process: { Entrypoint?: string[]; Cmd?: string[] } = {}): Promise<{ id: string; url: string }> {
  const id = await d.containers.create({
    name,
    Image: ref,
    ...process,
    Labels: { "com.docker.compose.project": project, "com.docker.compose.service": "web" },
    ExposedPorts: { "8080/tcp": {} },
    HostConfig: { PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] } },
  });
  await d.containers.start(id);
  return { id, url: await urlOf(d, id) };
}

/** The host URL of a container's published port 8080. */
export async function urlOf(d: DockerClient, id: string): Promise<string> {
  const info = await d.containers.inspect(id);
  const port = info.NetworkSettings.Ports["8080/tcp"]?.[0]?.HostPort;
  if (!port) throw new Error(`container ${id} publishes no port`);
  return `http://127.0.0.1:${port}`;
}

/** GET that returns the status and body, or status 0 while the server is not up. */
export async function get(url: string): Promise<{ status: number; body: string }> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return { status: r.status, body: await r.text() };
  } catch {
    return { status: 0, body: "" };
  }
}

/** Polls until `check` holds (never a timing assertion: only a generous deadline). */
export async function eventually<T>(what: string, probe: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 30_000, everyMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`${what}: not within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

// On the real engine: `devenv doctor` checks the host ports the compose setup publishes; a port
// taken during `up --target compose` is named with its holder and the services' states; a
// volume only a disabled profile's service mounts is not left behind by `up`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { devenv } from "./../helpers/cli.js";
import { describeDocker, LOCAL_IMAGES, LOCAL_OVERRIDES } from "./../helpers/docker.js";
import { docker } from "../../src/docker/client.js";

const name = `cports${process.pid}`;
const root = mkdtempSync(join(tmpdir(), "devenv-cports-"));
let holder: Server;
let taken = 0;
let free = 0;

async function listen(): Promise<Server> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen({ port: 0, host: "0.0.0.0" }, () => r()));
  return srv;
}

async function volumes(): Promise<string[]> {
  return String((await execa("docker", ["volume", "ls", "-q", "--filter", `label=com.docker.compose.project=${name}`])).stdout).split("\n").filter(Boolean).sort();
}

function writeCompose(apiPort: number): void {
  writeFileSync(
    join(root, "compose.yaml"),
    `services:
  web:
    image: ${LOCAL_IMAGES.debian}
    command: ["sleep", "infinity"]
    stop_grace_period: 1s
    ports: ["127.0.0.1:${free}:8080"]
    volumes: ["webdata:/data"]
  api:
    image: ${LOCAL_IMAGES.debian}
    command: ["sleep", "infinity"]
    stop_grace_period: 1s
    ports: ["127.0.0.1:${apiPort}:8080"]
  extra:
    image: ${LOCAL_IMAGES.debian}
    profiles: ["extra"]
    volumes: ["extradata:/x"]
volumes:
  webdata: {}
  extradata: {}
`,
  );
}

const run = (args: string[]) => devenv(args, { cwd: root, env: { DEVENV_IMAGE_OVERRIDES: LOCAL_OVERRIDES } });

describeDocker("compose ports and profile volumes (real engine)", () => {
  beforeAll(async () => {
    holder = await listen();
    taken = (holder.address() as { port: number }).port;
    const probe = await listen();
    free = (probe.address() as { port: number }).port;
    await new Promise((r) => probe.close(r));
    writeCompose(taken);
    writeFileSync(join(root, "devenv.ts"), `import { defineEnv } from "devenv-k8s";\nexport default defineEnv({ name: "${name}", compose: { files: ["compose.yaml"] } });\n`);
  });
  afterAll(async () => {
    await new Promise((r) => holder.close(r));
    await run(["reset", "--all", "--target", "compose", "--yes"]);
    const d = await docker();
    for (const c of await d.containers.list({ all: true, filters: { label: [`com.docker.compose.project=${name}`] } })) await d.containers.remove(c.Id, { force: true, v: true });
    for (const v of await volumes()) await execa("docker", ["volume", "rm", "-f", v]).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  it("doctor checks each host port the compose setup publishes, naming the holder of a taken one", async () => {
    const r = await run(["doctor"]);
    expect(r.stdout).toContain(`✓ port ${free} (compose web): free`);
    expect(r.stdout).toMatch(new RegExp(`! port ${taken} \\(compose api\\): in use by node[^:]*: compose service api publishes it \\(.*compose\\.yaml:\\d+:\\d+\\)`));
    expect(r.stdout).toMatch(/fix: stop node.*, or publish api on another host port in the compose file/);
  });

  it("a taken port during up names the port, its holder, the service, and which services run", async () => {
    const r = await run(["up", "--target", "compose"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`✗ error: host port ${taken} is already in use by node[^:]*: compose service "api" publishes it`));
    expect(r.stderr).toMatch(/│ running: web\n +│ not running: api/);
    expect(r.stderr).toMatch(/hint: stop node/);
    expect(r.stderr.match(/✗ error:/g)).toHaveLength(1);
  });

  it("up leaves no volume of a disabled profile's service, and keeps the ones in use", async () => {
    await new Promise((r) => holder.close(r));
    holder = await listen(); // keep afterAll's close valid; the api port is free again now
    const r = await run(["up", "--target", "compose"]);
    expect(r.code, r.stderr).toBe(0);
    expect(await volumes()).toEqual([`${name}_webdata`]);
    const st = await run(["status", "--target", "compose"]);
    expect(st.stdout).toMatch(/✓ api +ready/);
    expect(st.stdout).not.toMatch(/extra/);
  });
});

// The everyday commands on the compose target, against the real engine: `status --target
// compose` (services, health, published ports, URLs), `down` saying what it stopped, and
// `reset --all --target compose` removing the project, its volumes and .devenv/ (not a cluster).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { devenv } from "./../helpers/cli.js";
import { describeDocker, LOCAL_IMAGES, LOCAL_OVERRIDES } from "./../helpers/docker.js";
import { docker } from "../../src/docker/client.js";

const name = `cstatus${process.pid}`;
const root = mkdtempSync(join(tmpdir(), "devenv-cstatus-"));
writeFileSync(
  join(root, "compose.yaml"),
  `services:
  web:
    image: ${LOCAL_IMAGES.debian}
    command: ["sleep", "infinity"]
    ports: ["127.0.0.1::8080"]
    volumes: ["webdata:/data"]
    healthcheck: { test: ["CMD", "true"], interval: 1s }
    stop_grace_period: 1s
  once:
    image: ${LOCAL_IMAGES.debian}
    command: ["true"]
    restart: "no"
volumes:
  webdata: {}
`,
);
writeFileSync(join(root, "devenv.ts"), `import { defineEnv } from "devenv-k8s";\nexport default defineEnv({ name: "${name}", compose: { files: ["compose.yaml"] } });\n`);
const env = { DEVENV_IMAGE_OVERRIDES: LOCAL_OVERRIDES };
const run = (args: string[]) => devenv(args, { cwd: root, env });

async function volumes(): Promise<string[]> {
  const { execa } = await import("execa");
  return String((await execa("docker", ["volume", "ls", "-q", "--filter", `name=${name}_`])).stdout).split("\n").filter(Boolean);
}

describeDocker("compose parity of status, down and reset (real engine)", () => {
  beforeAll(async () => {
    const r = await run(["up", "--target", "compose"]);
    expect(r.code, r.stderr).toBe(0);
  });
  afterAll(async () => {
    await run(["reset", "--all", "--target", "compose", "--yes"]);
    const d = await docker();
    for (const c of await d.containers.list({ all: true, filters: { label: [`com.docker.compose.project=${name}`] } })) await d.containers.remove(c.Id, { force: true, v: true });
    rmSync(root, { recursive: true, force: true });
  });

  it("status --target compose lists each service with its health, published port and URL", async () => {
    const r = await run(["status", "--target", "compose"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`compose project ${name}`));
    expect(r.stdout).toMatch(/✓ web +ready: running \(healthy\) \(1\/1 running\) {2}ports \d+->8080\/tcp/);
    expect(r.stdout).toMatch(/✓ once +done: exited, exit code 0/);
    expect(r.stdout).toMatch(/URLs:\n {2}http:\/\/localhost:\d+ \(web\)/);
    const j = JSON.parse((await run(["status", "--target", "compose", "--json"])).stdout) as { target: string; services: { service: string; state: string; ports: string[] }[]; urls: string[] };
    expect(j.target).toBe("compose");
    expect(j.services.map((s) => [s.service, s.state])).toEqual([["web", "ready"], ["once", "done"]]);
    const port = /^(\d+)->8080\/tcp$/.exec(j.services[0]!.ports[0]!)![1];
    expect(j.urls).toEqual([`http://localhost:${port} (web)`]);
  });

  it("down says which containers it stopped and that the volumes stay; status then shows them stopped", async () => {
    const r = await run(["down", "--target", "compose"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`✓ stopped and removed 2 containers of compose project ${name}: once, web \\(of them running: web\\); volumes kept`));
    expect(await volumes()).toEqual([`${name}_webdata`]);
    const st = await run(["status", "--target", "compose"]);
    expect(st.stdout).toMatch(/nothing running: run `devenv up --target compose`/);
    expect(st.stdout).toMatch(/■ web +stopped: no container/);
    const again = await run(["down", "--target", "compose"]);
    expect(again.stderr).toMatch(new RegExp(`nothing to stop: compose project ${name} has no containers`));
  });

  it("reset --all --target compose removes the project, its volumes and .devenv/, and no cluster", async () => {
    expect((await run(["up", "--target", "compose"])).code).toBe(0);
    expect(existsSync(join(root, ".devenv"))).toBe(true);
    const dry = await run(["reset", "--all", "--target", "compose", "--dry-run"]);
    expect(dry.stdout).not.toMatch(/cluster/);
    const r = await run(["reset", "--all", "--target", "compose", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`✓ removed compose project ${name} and its volumes`));
    expect(r.stderr).not.toMatch(/kind|delete the .* cluster/);
    expect(await volumes()).toEqual([]);
    expect(existsSync(join(root, ".devenv"))).toBe(false);
    const d = await docker();
    expect(await d.containers.list({ all: true, filters: { label: [`com.docker.compose.project=${name}`] } })).toEqual([]);
  });
});

// The compose fast path on the real engine: the sync agent unpacks tars in a Debian container,
// survives nothing it should not (a restart starts a new one), and a container that cannot run
// it (no sh/head/tar on PATH) is still synced through putArchive.
import { afterAll, beforeAll, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeDocker, LOCAL_IMAGES } from "../../helpers/docker.js";
import { docker, type DockerClient } from "../../../src/docker/client.js";
import { execInNode } from "../../../src/images/node-exec.js";
import { dockerTarget } from "../../../src/watch/docker-target.js";
import { startDockerAgent, type AgentCache } from "../../../src/watch/sync-agent.js";
import { packCopies } from "../../../src/watch/tar.js";

describeDocker("sync agent (real engine)", () => {
  const suffix = randomBytes(4).toString("hex");
  const src = mkdtempSync(join(tmpdir(), "devenv-agent-"));
  const agents: AgentCache = new Map();
  let d: DockerClient;
  /** Container IDs. */
  let full: string;
  let bare: string;

  const tarOf = async (text: string) => {
    writeFileSync(join(src, "f.txt"), text);
    return (await packCopies(src, [{ from: "f.txt", to: "/app/f.txt" }])).tar;
  };
  const read = async (id: string) => (await execInNode(d, id, ["/bin/cat", "/app/f.txt"])).stdout;

  beforeAll(async () => {
    d = await docker();
    const make = async (name: string, env: string[] = []) => {
      const id = await d.containers.create({ name: `${name}-${suffix}`, Image: LOCAL_IMAGES.node, Cmd: ["/bin/sleep", "600"], Env: env, WorkingDir: "/app" });
      await d.containers.start(id);
      return id;
    };
    full = await make("watch-agent-full");
    bare = await make("watch-agent-bare", ["PATH=/nonexistent"]); // no sh, head or tar to be found
  });

  afterAll(async () => {
    for (const a of agents.values()) (await a)?.close();
    await Promise.all([full, bare].map((id) => id && d.containers.remove(id, { force: true, v: true }).catch(() => {})));
    rmSync(src, { recursive: true, force: true });
  });

  it("unpacks successive tars through one agent", async () => {
    const agent = await startDockerAgent(d, full);
    expect(agent).toBeDefined();
    for (const n of [1, 2, 3]) {
      await agent!.send(await tarOf(`version ${n}`));
      expect(await read(full)).toBe(`version ${n}`);
    }
    agent!.close();
  });

  it("a target reuses its cached agent and replaces it after a container restart", async () => {
    const target = dockerTarget(d, { Id: full, Names: [`/watch-agent-full-${suffix}`] }, agents);
    await target.sync(await tarOf("through the cache"), []);
    const first = await agents.get(full)!;
    expect(first).toBeDefined();
    expect(await read(full)).toBe("through the cache");
    await d.containers.restart(full, { t: 0 });
    await target.sync(await tarOf("after restart"), []);
    expect(await read(full)).toBe("after restart");
    expect(await agents.get(full)).not.toBe(first);
  });

  it("a container that cannot run the agent is synced through putArchive", async () => {
    expect(await startDockerAgent(d, bare)).toBeUndefined();
    const target = dockerTarget(d, { Id: bare, Names: [`/watch-agent-bare-${suffix}`] }, agents);
    await target.sync(await tarOf("via putArchive"), []);
    expect(await read(bare)).toBe("via putArchive");
  });
});

// Sync into compose containers through the Docker API: putArchive for files (no `tar` needed in
// the container), `rm -rf` over exec for deletions, container restart or exec afterwards.
import type { ContainerSummary, DockerClient } from "../docker/client.js";
import { DevenvError } from "../errors/devenv-error.js";
import { execInNode } from "../images/node-exec.js";
import { cachedAgent, startDockerAgent, type AgentCache } from "./sync-agent.js";
import { SIGNAL_SUPERVISOR } from "../images/process-supervisor.js";
import { repositoryOf } from "../images/refs.js";
import type { BuiltImage } from "../model/index.js";
import type { AfterSync } from "./rules.js";
import type { SyncTarget } from "./target.js";

/** The compose project label docker-compose v1 and v2 both set. */
export const PROJECT_LABEL = "com.docker.compose.project";

/** Running containers of `image`: same image ID, content tag or repository; inside `project` when it has any. */
export async function findContainers(d: DockerClient, image: BuiltImage, project?: string): Promise<ContainerSummary[]> {
  return pickContainers(await d.containers.list({ filters: { status: ["running"] } }), image, project);
}

/** The selection of findContainers over a container list. Pure. */
export function pickContainers<C extends Pick<ContainerSummary, "Image" | "ImageID" | "Labels">>(running: C[], image: Pick<BuiltImage, "id" | "ref" | "repository">, project?: string): C[] {
  const mine = running.filter((c) => c.ImageID === image.id || c.Image === image.ref || repositoryOf(c.Image) === image.repository);
  const inProject = project ? mine.filter((c) => c.Labels?.[PROJECT_LABEL] === project) : [];
  return inProject.length > 0 ? inProject : mine;
}

/** A compose (or plain) container as a sync target; with `agents`, files go through a sync agent when the container can run one. */
export function dockerTarget(d: DockerClient, info: Pick<ContainerSummary, "Id" | "Names">, agents?: AgentCache): SyncTarget {
  const name = (info.Names?.[0] ?? info.Id.slice(0, 12)).replace(/^\//, "");
  const label = `container ${name}`;
  let workdir: string | undefined;
  return {
    label,
    async workdir() {
      workdir ??= (await d.containers.inspect(info.Id)).Config.WorkingDir || "/";
      return workdir;
    },
    async sync(tar, deletes, opts) {
      // The restart rides on the agent's exec only when no deletion has to happen before it.
      const restart = !!opts?.restart && deletes.length === 0;
      const agent = tar.length > 0 && agents ? await cachedAgent(agents, info.Id, () => startDockerAgent(d, info.Id)) : undefined;
      const sent = agent ? await agent.send(tar, { restart }).catch(() => (agent.close(), undefined)) : undefined;
      const viaAgent = sent !== undefined;
      if (tar.length > 0 && !viaAgent) {
        // putArchive needs nothing in the container, and reports the real cause if the agent failed.
        try {
          await d.containers.putArchive(info.Id, tar, { path: "/" });
        } catch (e) {
          throw new DevenvError(`copying files into ${label} failed: ${(e as Error).message}`, { cause: e, hint: "check that the container is running and the destination is writable" });
        }
      }
      if (deletes.length > 0) await execChecked(d, info.Id, label, ["rm", "-rf", "--", ...deletes]);
      return { restarted: sent?.restarted ?? false };
    },
    async after(action: AfterSync) {
      if (action === "none") return;
      if (action === "restart") {
        // The process supervisor restarts the process alone; a container started without it
        // (created before devenv wrapped the command, or no sh) is restarted whole, as before.
        const answer = await execInNode(d, info.Id, ["sh", "-c", SIGNAL_SUPERVISOR]).catch(() => undefined);
        if (answer?.stdout.trim() !== "restarted") await d.containers.restart(info.Id, { t: 2 });
      } else await execChecked(d, info.Id, label, action.exec);
    },
  };
}

/** Runs `cmd` in the container; a non-zero exit or a missing executable is a DevenvError with the output. */
export async function execChecked(d: DockerClient, id: string, label: string, cmd: string[]): Promise<string> {
  let r: { exitCode: number; stdout: string; stderr: string };
  try {
    r = await execInNode(d, id, cmd); // the engine's exec API works the same for any container
  } catch (e) {
    throw new DevenvError(`cannot run \`${cmd.join(" ")}\` in ${label}: ${(e as Error).message}`, { cause: e, hint: "check that the container is still running (`docker ps`)" });
  }
  if (r.exitCode === 0) return r.stdout;
  const output = `${r.stdout}${r.stderr}`;
  const missing = r.exitCode === 126 || r.exitCode === 127 || /executable file not found|no such file or directory/i.test(output);
  throw new DevenvError(`\`${cmd.join(" ")}\` in ${label} ${missing ? `failed: ${cmd[0]} is not available in the container` : `exited with code ${r.exitCode}`}`, {
    details: output.trim().split("\n").slice(-20).join("\n"),
    hint: missing ? `install ${cmd[0]} in the image, or change afterSync in devenv.ts` : "fix the command (afterSync.exec in devenv.ts) or the code it runs",
  });
}

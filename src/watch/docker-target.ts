// Sync into compose containers through the Docker API: putArchive for files (no `tar` needed in
// the container), `rm -rf` over exec for deletions, container restart or exec afterwards.
import type Dockerode from "dockerode";
import { PassThrough } from "node:stream";
import { DevenvError } from "../errors/devenv-error.js";
import { repositoryOf } from "../images/refs.js";
import type { BuiltImage } from "../steps/context.js";
import type { AfterSync } from "./rules.js";
import type { SyncTarget } from "./target.js";

/** The compose project label docker-compose v1 and v2 both set. */
export const PROJECT_LABEL = "com.docker.compose.project";

/** Running containers of `image`: same image ID, content tag or repository; inside `project` when it has any. */
export async function findContainers(d: Dockerode, image: BuiltImage, project?: string): Promise<Dockerode.ContainerInfo[]> {
  const running = await d.listContainers({ filters: { status: ["running"] } });
  const mine = running.filter((c) => c.ImageID === image.id || c.Image === image.ref || repositoryOf(c.Image) === image.repository);
  const inProject = project ? mine.filter((c) => c.Labels?.[PROJECT_LABEL] === project) : [];
  return inProject.length > 0 ? inProject : mine;
}

/** A compose (or plain) container as a sync target. */
export function dockerTarget(d: Dockerode, info: Pick<Dockerode.ContainerInfo, "Id" | "Names">): SyncTarget {
  const container = d.getContainer(info.Id);
  const name = (info.Names?.[0] ?? info.Id.slice(0, 12)).replace(/^\//, "");
  const label = `container ${name}`;
  let workdir: string | undefined;
  return {
    label,
    async workdir() {
      workdir ??= (await container.inspect()).Config.WorkingDir || "/";
      return workdir;
    },
    async sync(tar, deletes) {
      if (tar.length > 0) {
        try {
          await container.putArchive(tar, { path: "/" });
        } catch (e) {
          throw new DevenvError(`copying files into ${label} failed: ${(e as Error).message}`, { cause: e, hint: "check that the container is running and the destination is writable" });
        }
      }
      if (deletes.length > 0) await execChecked(container, label, ["rm", "-rf", "--", ...deletes]);
    },
    async after(action: AfterSync) {
      if (action === "none") return;
      if (action === "restart") await container.restart({ t: 2 });
      else await execChecked(container, label, action.exec);
    },
  };
}

/** Runs `cmd` in the container; a non-zero exit or a missing executable is a DevenvError with the output. */
export async function execChecked(container: Dockerode.Container, label: string, cmd: string[]): Promise<string> {
  const { code, output } = await execIn(container, cmd);
  if (code === 0) return output;
  const missing = code === 126 || code === 127 || /executable file not found|no such file or directory/i.test(output);
  throw new DevenvError(`\`${cmd.join(" ")}\` in ${label} ${missing ? `failed: ${cmd[0]} is not available in the container` : `exited with code ${code}`}`, {
    details: output.trim().split("\n").slice(-20).join("\n"),
    hint: missing ? `install ${cmd[0]} in the image, or change afterSync in devenv.ts` : "fix the command (afterSync.exec in devenv.ts) or the code it runs",
  });
}

/** Runs `cmd` in the container and collects its combined output and exit code. */
export async function execIn(container: Dockerode.Container, cmd: string[]): Promise<{ code: number; output: string }> {
  let exec: Dockerode.Exec;
  try {
    exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  } catch (e) {
    return { code: 126, output: (e as Error).message };
  }
  const stream = await exec.start({ hijack: true, stdin: false });
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on("data", (c: Buffer) => chunks.push(c));
  container.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((res, rej) => {
    stream.on("end", res);
    stream.on("close", res);
    stream.on("error", rej);
  });
  const { ExitCode } = await exec.inspect();
  return { code: ExitCode ?? 1, output: Buffer.concat(chunks).toString("utf8") };
}

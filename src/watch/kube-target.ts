// Sync into cluster pods: the sync tar streamed into `tar xf - -C /` over the exec websocket
// (src/kube/exec.ts), deletions by `rm -rf`, afterSync exec in the same way. The container needs tar.
import { PassThrough } from "node:stream";
import { DevenvError } from "../errors/devenv-error.js";
import { commandLine } from "../exec/runner.js";
import { repositoryOf } from "../images/refs.js";
import { execInPod, type ExecStatus } from "../kube/exec.js";
import { containersOf } from "../kube/pod-spec.js";
import type { KubeRest } from "../kube/rest.js";
import type { BuiltImage, KubeObject } from "../model/index.js";
import type { AfterSync } from "./rules.js";
import type { SyncTarget } from "./target.js";
import { AGENT_COMMAND, SyncAgent } from "./sync-agent.js";
import { SIGNAL_SUPERVISOR } from "../images/process-supervisor.js";

/** The command that unpacks a sync tar; entry names are relative to "/". */
export const UNTAR = ["tar", "xf", "-", "-C", "/"];

export interface ExecResult {
  /** Exit code; -1 when the command could not start (message says why). */
  code: number;
  stdout: string;
  stderr: string;
  message?: string;
}

/** Runs a command in a pod's container, feeding `stdin` when given. */
export type PodExec = (pod: string, container: string, cmd: string[], stdin?: Buffer) => Promise<ExecResult>;

/** A running pod container that runs an image of this repository. */
export interface PodContainer {
  pod: string;
  container: string;
  workingDir?: string;
  /** The image the pod spec names (a working directory read by `pwd` holds while it stays). */
  image?: string;
}

/** Working directories read by `pwd`, by workdirKey(): kept across reloads, so a sync costs no `pwd` exec after the first. */
export type WorkdirCache = Map<string, string>;

/** A pod container's key in a WorkdirCache: a new pod (a rollout) or a new image reads it again. Pure. */
export const workdirKey = (pc: PodContainer) => `${pc.pod}/${pc.container}@${pc.image ?? ""}`;

/** The running pod containers of `image` (same repository), from a pod list. Pure. */
export function podContainersOf(pods: KubeObject[], image: Pick<BuiltImage, "repository">): PodContainer[] {
  const out: PodContainer[] = [];
  for (const pod of pods) {
    const status = pod.status as { phase?: string } | undefined;
    if (status?.phase !== "Running" || (pod.metadata as { deletionTimestamp?: string }).deletionTimestamp) continue;
    for (const c of containersOf({ ...pod, kind: "Pod" })) {
      if (c.image && repositoryOf(c.image) === image.repository) out.push({ pod: pod.metadata.name, container: c.name, workingDir: c.workingDir, image: c.image });
    }
  }
  return out;
}

/** Exit status of a finished exec from the status channel's Status. Pure. */
export function execStatus(status: ExecStatus): { code: number; message?: string } {
  if (status.status === "Success") return { code: 0 };
  const exit = status.details?.causes?.find((c) => c.reason === "ExitCode")?.message;
  if (status.reason === "NonZeroExitCode" && exit !== undefined) return { code: Number(exit), message: status.message };
  return { code: -1, message: status.message ?? "exec failed" };
}

/** PodExec over the exec websocket (v5.channel.k8s.io where the server speaks it). */
export function clientExec(rest: KubeRest, namespace: string): PodExec {
  return async (pod, container, cmd, stdin) => {
    let stdout = "";
    let stderr = "";
    const session = await execInPod(rest, { namespace, pod, container, command: cmd, stdin, stdout: (c) => (stdout += c.toString("utf8")), stderr: (c) => (stderr += c.toString("utf8")) });
    const status = await session.done;
    return { ...(status ? execStatus(status) : { code: -1, message: "the exec connection closed without an exit status" }), stdout, stderr };
  };
}

/** Starts a sync agent in a pod's container; undefined when it cannot run one. */
export type PodAgentStarter = (pc: PodContainer) => Promise<SyncAgent | undefined>;

/** Sync agents over the exec websocket, stdin kept open across syncs. */
export function clientAgentStarter(rest: KubeRest, namespace: string): PodAgentStarter {
  return async (pc) => {
    try {
      const stdin = new PassThrough();
      // Ending stdin ends the agent's loop (v5 closes the stream, older protocols the socket).
      const agent = new SyncAgent({ write: (c) => void stdin.write(c), destroy: () => void stdin.end() });
      const session = await execInPod(rest, { namespace, pod: pc.pod, container: pc.container, command: AGENT_COMMAND, stdin, stdout: (c) => agent.stdout(c), stderr: (c) => agent.stderrChunk(c) });
      // The status (the agent exited) or the connection closing both end the agent.
      void session.done.then(() => agent.close());
      return await agent.ready();
    } catch {
      return undefined;
    }
  };
}

/**
 * A container of a pod as a sync target; with `agent`, files go through a sync agent when the
 * container can run one; with `workdirs`, the working directory `pwd` read is kept for the next
 * reload's target (one exec round trip less per sync).
 */
export function podTarget(exec: PodExec, pc: PodContainer, agent?: () => Promise<SyncAgent | undefined>, workdirs?: WorkdirCache): SyncTarget {
  const label = `pod ${pc.pod}/${pc.container}`;
  let workdir = pc.workingDir ?? workdirs?.get(workdirKey(pc));
  const run = async (what: string, cmd: string[], stdin?: Buffer): Promise<string> => {
    const r = await exec(pc.pod, pc.container, cmd, stdin);
    if (r.code === 0) return r.stdout;
    const missing = r.code === 127 || /executable file not found|no such file or directory/i.test(`${r.message ?? ""}\n${r.stderr}`);
    if (missing) {
      throw new DevenvError(`${label} has no \`${cmd[0]}\`, so ${what} cannot run there`, {
        details: r.message,
        hint: cmd[0] === "tar" ? "hot reload into pods streams a tar: add tar to the image (it is in most base images; distroless lacks it), or drop the image's sync rules so changes rebuild" : `add ${cmd[0]} to the image, or change afterSync in devenv.ts`,
      });
    }
    throw new DevenvError(`${what} in ${label} failed (${r.code === -1 ? r.message : `exit code ${r.code}`})`, { details: (r.stderr || r.stdout).trim().split("\n").slice(-20).join("\n"), hint: "check that the pod is running and the destination is writable" });
  };
  return {
    label,
    async workdir() {
      if (workdir === undefined) {
        workdir = (await run("reading the working directory", ["pwd"])).trim() || "/";
        workdirs?.set(workdirKey(pc), workdir);
      }
      return workdir;
    },
    async sync(tar, deletes, opts) {
      const restart = !!opts?.restart && deletes.length === 0; // deletions first, then the restart (after())
      const a = tar.length > 0 ? await agent?.() : undefined;
      const sent = a ? await a.send(tar, { restart }).catch(() => (a.close(), undefined)) : undefined;
      if (tar.length > 0 && !sent) await run("unpacking the synced files", UNTAR, tar);
      if (deletes.length > 0) await run("deleting removed files", ["rm", "-rf", "--", ...deletes]);
      return { restarted: sent?.restarted ?? false };
    },
    async after(action: AfterSync) {
      if (action === "restart") {
        // The supervisor devenv put in front of the command (dev pod spec) restarts the process;
        // the container, and so the synced files, stay.
        if ((await run("restarting the process", ["sh", "-c", SIGNAL_SUPERVISOR])).trim() === "restarted") return;
        throw new DevenvError(`${label} does not run devenv's process supervisor, so afterSync "restart" cannot restart its process`, {
          hint: "run `devenv up` again (it puts the supervisor in front of the container's command for images with afterSync \"restart\"); a restarted pod container would lose the synced files",
        });
      }
      if (typeof action === "object") await run(`\`${commandLine(action.exec[0]!, action.exec.slice(1))}\``, action.exec);
    },
  };
}

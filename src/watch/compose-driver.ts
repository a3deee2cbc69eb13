// The compose side of hot reload: targets are the running containers of an image; a rebuild
// builds the new content tag and recreates those containers on it.
import type { DockerClient } from "../docker/client.js";
import type { LoadedEnv } from "../config/load.js";
import { buildImage } from "../images/build.js";
import type { BuiltImage } from "../model/index.js";
import { dockerTarget, findContainers } from "./docker-target.js";
import { closeAgents, type AgentCache } from "./sync-agent.js";
import { recreateContainer } from "./recreate.js";
import type { TargetDriver } from "./target.js";

export interface ComposeDriverOptions {
  /** Compose project whose containers are preferred; default: compose.projectName or the env name. */
  project?: string;
  /** The builder; tests and the bench may pass another one with the same contract. */
  build?: typeof buildImage;
}

export function composeDriver(d: DockerClient, env: LoadedEnv, opts: ComposeDriverOptions = {}): TargetDriver {
  const project = opts.project ?? env.config.compose?.projectName ?? env.config.name;
  const build = opts.build ?? buildImage;
  const agents: AgentCache = new Map();
  return {
    kind: "compose",
    async targets(image) {
      return (await findContainers(d, image, project)).map((c) => dockerTarget(d, c, agents));
    },
    async rebuild(name, current, onProgress) {
      const image: BuiltImage = await build(env, name, { onProgress });
      if (current && image.id === current.id) return { image, replaced: [] }; // same content: nothing to replace
      const old = current ? await findContainers(d, current, project) : [];
      const replaced: string[] = [];
      for (const c of old) replaced.push(`container ${await recreateContainer(d, c.Id, image.ref)}`);
      return { image, replaced };
    },
    close: () => closeAgents(agents),
  };
}

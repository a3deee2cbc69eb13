// volumes.* of the Docker client over dockerode; each call says itself on the debug channel.
import type Dockerode from "dockerode";
import { debugFor } from "../debug/index.js";
import { describeFilters } from "./containers.js";
import type { DockerClient, VolumeSummary } from "./types.js";

const debug = debugFor("docker");

export function volumesOf(d: Dockerode): DockerClient["volumes"] {
  return {
    async list(opts = {}) {
      debug(`volumes.list ${describeFilters(opts.filters)}`.trimEnd());
      const r = (await d.listVolumes(opts)) as unknown as { Volumes: VolumeSummary[] | null };
      return r.Volumes ?? [];
    },
    async remove(name) {
      debug(`volumes.remove ${name}`);
      await d.getVolume(name).remove();
    },
  };
}

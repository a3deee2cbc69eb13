// images.* of the Docker client over dockerode; each call says itself on the debug channel
// (build args and labels by name only: their values may be secrets).
import type { Readable } from "node:stream";
import type Dockerode from "dockerode";
import { debugFor } from "../debug/index.js";
import { describeFilters, short } from "./containers.js";
import type { DockerClient, ImageInspect, ImageSummary } from "./types.js";

const debug = debugFor("docker");

const keys = (o: Record<string, string> | undefined) => Object.keys(o ?? {}).join(",");

export function imagesOf(d: Dockerode): DockerClient["images"] {
  return {
    async list(opts = {}) {
      debug(`images.list ${describeFilters(opts.filters)}`.trimEnd());
      return (await d.listImages(opts)) as unknown as ImageSummary[];
    },
    async inspect(ref, opts) {
      debug(`images.inspect ${short(ref)}${opts?.manifests ? " manifests" : ""}`);
      // dockerode passes the options as the query (GET /images/{name}/json?manifests=true).
      const image = d.getImage(ref) as unknown as { inspect(o?: object): Promise<unknown> };
      return (await (opts?.manifests ? image.inspect({ manifests: true }) : image.inspect())) as ImageInspect;
    },
    async tag(ref, opts) {
      debug(`images.tag ${short(ref)} → ${opts.repo}:${opts.tag}`);
      await d.getImage(ref).tag(opts);
    },
    async remove(ref, opts) {
      debug(`images.remove ${short(ref)}${opts?.force ? " force" : ""}`);
      await d.getImage(ref).remove(opts);
    },
    async save(refs, opts = {}) {
      debug(`images.save ${refs.join(" ")}${opts.platform ? ` platform=${opts.platform.os}/${opts.platform.architecture}` : ""}`);
      // GET /images/get with several names; @types/dockerode lacks getImages.
      return (d as unknown as { getImages(o: object): Promise<Readable> }).getImages({ names: refs, ...opts });
    },
    async build(context, opts) {
      const args = keys(opts.buildargs);
      debug(`images.build ${opts.t} dockerfile=${opts.dockerfile ?? "Dockerfile"}${opts.target ? ` target=${opts.target}` : ""} version=${opts.version ?? "1"}${args ? ` buildargs=${args}` : ""}${opts.labels ? ` labels=${keys(opts.labels)}` : ""}`);
      return (await d.buildImage(context, opts as Dockerode.ImageBuildOptions)) as unknown as Readable;
    },
    async push(ref) {
      debug(`images.push ${ref}`);
      // An empty auth header: local registries need none, but the push API wants the header.
      return (await d.getImage(ref).push({ authconfig: {} } as Dockerode.ImagePushOptions)) as unknown as Readable;
    },
    async pull(ref) {
      debug(`images.pull ${ref}`);
      return (await d.pull(ref)) as Readable;
    },
  };
}

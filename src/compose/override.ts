// The compose override devenv writes to .devenv/: each service built by devenv runs its content
// tag, third-party images go through imageOverrides, and build args match devenv's builds. Pure:
// it maps a loaded compose model plus devenv.ts images to the override document.
import { resolve } from "node:path";
import type { ImageConfig } from "../config/schema.js";
import { resolveBuildArgs } from "../images/content-tag.js";
import { dockerArgv, escapeDollars, isSupervised, supervisorEntrypoint, type ProcessSpec } from "../images/process-supervisor.js";
import { repositoryOf, resolveImageRef } from "../images/refs.js";
import type { BuiltImage } from "../model/index.js";
import type { ComposeService } from "./model.js";

export interface OverrideInputs {
  /** Services of the loaded compose setup (profiles applied). */
  services: (Pick<ComposeService, "name" | "image" | "build"> & Partial<Pick<ComposeService, "command" | "entrypoint">>)[];
  /** devenv.ts `images`. */
  images: Record<string, ImageConfig>;
  /** Directory devenv.ts paths resolve against. */
  root: string;
  /** Images built this run, by devenv image name. */
  built: Map<string, BuiltImage>;
  imageOverrides: Record<string, string>;
  /**
   * ENTRYPOINT/CMD of the built images, by devenv image name: a long-running service of an image
   * with `afterSync: "restart"` then runs under the process supervisor (without it: unchanged).
   */
  processes?: Map<string, ProcessSpec>;
  /** Services that run once (migrations): never supervised. */
  oneShot?: Set<string>;
}

export interface ServiceOverride {
  image?: string;
  build?: { args: Record<string, string> };
  /** The supervisor (sh -c <script> devenv-supervise) and the service's own argv after it, `$` escaped. */
  entrypoint?: string[];
  command?: string[];
}

export interface ComposeOverride {
  /** The override document (`services:` only). */
  services: Record<string, ServiceOverride>;
  /** The image each service is expected to run; services with neither image nor match are absent. */
  expected: Record<string, string>;
  /** compose service → devenv image name, for services built by devenv. */
  builtBy: Record<string, string>;
  /** Services with a `build:` that no devenv.ts image matches (they would run a stale or missing image). */
  unbuilt: string[];
}

/** Which devenv image a service runs: same repository as `image:`, else the same build context and Dockerfile. */
export function matchImage(svc: OverrideInputs["services"][number], images: Record<string, ImageConfig>, root: string): string | undefined {
  const entries = Object.entries(images);
  if (svc.image) {
    const repo = repositoryOf(svc.image);
    const byRepo = entries.find(([, img]) => repositoryOf(img.image) === repo);
    if (byRepo) return byRepo[0];
  }
  if (svc.build) {
    const ctx = resolve(svc.build.context);
    return entries.find(([, img]) => resolve(root, img.context) === ctx && img.dockerfile === svc.build!.dockerfile)?.[0];
  }
  return undefined;
}

export function planComposeOverride(inp: OverrideInputs): ComposeOverride {
  const out: ComposeOverride = { services: {}, expected: {}, builtBy: {}, unbuilt: [] };
  for (const svc of inp.services) {
    const name = matchImage(svc, inp.images, inp.root);
    if (name) {
      const img = inp.images[name]!;
      const built = inp.built.get(name);
      const image = built?.ref ?? svc.image ?? img.image;
      const o: ServiceOverride = { image };
      const args = resolveBuildArgs(img.buildArgs, inp.imageOverrides);
      if (svc.build && Object.keys(args).length > 0) o.build = { args };
      const proc = inp.processes?.get(name);
      if (img.afterSync === "restart" && proc && !inp.oneShot?.has(svc.name)) Object.assign(o, supervised(svc, proc));
      out.services[svc.name] = o;
      out.expected[svc.name] = image;
      out.builtBy[svc.name] = name;
    } else if (svc.image) {
      const image = resolveImageRef(svc.image, inp.built, inp.imageOverrides);
      if (image !== svc.image) out.services[svc.name] = { image };
      out.expected[svc.name] = image;
    } else if (svc.build) out.unbuilt.push(svc.name);
  }
  return out;
}

/** The entrypoint/command that put the supervisor in front of the service's argv; {} when there is nothing to run. Pure. */
export function supervised(svc: Partial<Pick<ComposeService, "command" | "entrypoint">>, image: ProcessSpec): Pick<ServiceOverride, "entrypoint" | "command"> {
  if (isSupervised(svc.entrypoint)) return {};
  const argv = dockerArgv(svc, image);
  if (argv.length === 0) return {};
  // The loaded model is interpolated already: every `$` left is literal, so compose must not expand it again.
  return { entrypoint: supervisorEntrypoint().map(escapeDollars), command: argv.map(escapeDollars) };
}

/** The override as YAML text (compose accepts JSON, which is YAML). */
export function renderOverride(o: ComposeOverride): string {
  return `# Written by devenv: image tags and build args for this run. Do not edit.\n${JSON.stringify({ services: o.services }, null, 2)}\n`;
}

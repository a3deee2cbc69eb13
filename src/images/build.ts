// Builds the images of devenv.ts through the engine's build API, tagged by content: an image
// whose content tag already exists is not rebuilt. BuildKit where the engine offers it, the
// classic builder otherwise; the event stream is checked for errors line by line.
import { cpus } from "node:os";
import { join, relative, resolve } from "node:path";
import pLimit from "p-limit";
import type { LoadedEnv } from "../config/load.js";
import type { ImageConfig } from "../config/schema.js";
import { requireDocker, type DockerClient } from "../docker/client.js";
import { DevenvError, configError } from "../errors/devenv-error.js";
import type { BuiltImage } from "../model/index.js";
import { BuildOutput, describePullFailure, dockerfileInstructions, pullFailure, type BuildEvent } from "./build-output.js";
import { contentTag, readContentInputs, type ContentInputs } from "./content-tag.js";
import { contextTar } from "./context-tar.js";
import { builderFromEnv, detectBuilder, imageIdOf } from "./engine.js";
import { repositoryOf } from "./refs.js";

export interface BuildOptions {
  /** Progress lines (build output). */
  onProgress?: (line: string) => void;
  /** Rebuild even when the content tag exists. */
  force?: boolean;
}

/** Where an image will be tagged, and from what; computed without the engine. */
export interface ImageTarget {
  name: string;
  config: ImageConfig;
  contextDir: string;
  repository: string;
  ref: string;
  inputs: ContentInputs;
}

/** Reads the image's context and computes its content tag. */
export async function imageTarget(env: LoadedEnv, name: string): Promise<ImageTarget> {
  const config = env.config.images[name];
  if (!config) throw configError(`no image "${name}" in devenv.ts`, env.file, `declared images: ${Object.keys(env.config.images).join(", ") || "(none)"}`);
  const contextDir = resolve(env.root, config.context);
  const inputs = await readContentInputs(contextDir, config, env.config.imageOverrides, `${env.file} (images.${name})`);
  const repository = repositoryOf(config.image);
  return { name, config, contextDir, repository, ref: `${repository}:${contentTag(inputs)}`, inputs };
}

let builder: Promise<"1" | "2"> | undefined;

/** Builds images[name] unless its content tag already exists; returns the tag. */
export async function buildImage(env: LoadedEnv, name: string, opts: BuildOptions = {}): Promise<BuiltImage> {
  const target = await imageTarget(env, name);
  const d = await requireDocker();
  const existing = await imageIdOf(d, target.ref);
  const base = { name, repository: target.repository, ref: target.ref };
  if (existing && !opts.force) return { ...base, id: existing, built: false };
  builder ??= detectBuilder(d);
  const version = builderFromEnv(process.env.DOCKER_BUILDKIT) ?? (await builder);
  await runBuild(d, env, target, version, opts.onProgress ?? (() => {}));
  const id = await imageIdOf(d, target.ref);
  if (!id) throw new DevenvError(`building image "${name}" finished but ${target.ref} does not exist`, { where: `images.${name}`, hint: "run again with --verbose to see the full build output" });
  return { ...base, id, built: true };
}

/** Builds several images, at most one per core at a time; the first failure wins. */
export async function buildImages(env: LoadedEnv, names: string[], opts: BuildOptions & { onImageProgress?: (name: string, line: string) => void } = {}): Promise<BuiltImage[]> {
  // After a failure no queued build starts (clearQueue rejects them), and the error is thrown
  // once the running builds have ended, so no build output comes after it.
  const limit = pLimit({ concurrency: cpus().length, rejectOnClear: true });
  const build = (name: string) => buildImage(env, name, { force: opts.force, onProgress: (line) => (opts.onImageProgress ? opts.onImageProgress(name, line) : opts.onProgress?.(line)) });
  const settled = await Promise.allSettled(
    names.map((name) =>
      limit(() =>
        build(name).catch((e: unknown) => {
          limit.clearQueue();
          throw e;
        }),
      ),
    ),
  );
  // Builds start in order, so the first rejection in order is a build that ran, not a cleared one.
  const failure = settled.find((s) => s.status === "rejected");
  if (failure) throw failure.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<BuiltImage>).value);
}

async function runBuild(d: DockerClient, env: LoadedEnv, t: ImageTarget, version: "1" | "2", onProgress: (line: string) => void): Promise<void> {
  const out = new BuildOutput(t.inputs.dockerfileText, version === "2");
  const stream = await d.images.build(contextTar(t.contextDir, t.inputs.entries), {
    t: t.ref,
    dockerfile: t.config.dockerfile,
    buildargs: t.inputs.buildArgs,
    target: t.config.target,
    version,
    rm: true,
    forcerm: true,
    labels: { "devenv.env": env.config.name, "devenv.image": t.name },
  });
  // followBuild also decodes BuildKit's protobuf trace into `stream` lines.
  const streamError = await d
    .followBuild<BuildEvent>(stream, (ev) => {
      for (const line of out.feed(ev)) onProgress(line);
      // The first error line decides: stop reading rather than wait for the engine to end.
      if (out.failure) stream.destroy();
    })
    .then(
      () => undefined,
      (err: unknown) => err,
    );
  if (streamError && !out.failure) {
    const msg = streamError instanceof Error ? streamError.message : String(streamError);
    throw new DevenvError(`building image "${t.name}" failed: ${msg}`, { where: `images.${t.name}`, cause: streamError });
  }
  if (out.failure) {
    const f = out.failure;
    const dockerfile = join(t.contextDir, t.config.dockerfile);
    const shown = relative(process.cwd(), dockerfile) || dockerfile;
    // A base image that cannot be pulled is the registry's or the network's doing, not the Dockerfile's.
    const pull = pullFailure(f, t.inputs.dockerfileText, t.inputs.buildArgs);
    if (pull) {
      const from = failingFrom(t.inputs.dockerfileText, f.line);
      const arg = from?.arg ? { name: from.arg, inDevenv: from.arg in t.config.buildArgs } : undefined;
      const { message, hint } = describePullFailure(pull, t.name, arg);
      const line = f.line ?? from?.line;
      throw new DevenvError(message, { where: line ? `${shown}:${line}` : shown, details: [...(f.step ? [`> ${f.step}`] : []), f.message, ...f.output].join("\n"), hint });
    }
    throw new DevenvError(`image "${t.name}" failed to build${f.step ? ` at \`${f.step}\`` : ""}: ${f.message}`, {
      where: f.line ? `${shown}:${f.line}` : shown,
      details: [...(f.step ? [`> ${f.step}`] : []), ...f.output].join("\n"),
      hint: `fix the Dockerfile step above (images.${t.name} in ${relative(process.cwd(), env.file) || env.file}); the output above is the step's own`,
    });
  }
}

/** The FROM that failed to pull (the failing step's line, else the first FROM), and the build arg it takes its image from (`FROM ${BASE_IMAGE}`). */
function failingFrom(dockerfileText: string, line: number | undefined): { line: number; arg?: string } | undefined {
  const froms = dockerfileInstructions(dockerfileText).filter((i) => /^FROM\s/i.test(i.text));
  const from = froms.find((i) => i.line === line) ?? froms[0];
  if (!from) return undefined;
  const arg = /^FROM\s+(?:--platform=\S+\s+)?\$\{?([A-Za-z_][A-Za-z0-9_]*)/i.exec(from.text)?.[1];
  return { line: from.line, ...(arg ? { arg } : {}) };
}

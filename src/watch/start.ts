// Starting a hot-reload session (`up --watch`, `devenv dev`): initial sync, then watch every
// image's build context and hot-reload into the compose containers or the cluster's pods
// until stop() is called.
import { relative } from "node:path";
import type { LoadedEnv } from "../config/load.js";
import type { BuiltImage, ClusterHandle, Target } from "../model/index.js";
import { DevenvError } from "../errors/devenv-error.js";
import { commandLine } from "../exec/runner.js";
import { requireDocker } from "../docker/client.js";
import { buildImage } from "../images/build.js";
import { ReloadSession, type SessionOptions } from "./session.js";
import { watchContexts, type ContextWatcher } from "./watcher.js";
import type { TargetDriver } from "./target.js";

/** A running watch: stop() closes the watchers. */
export interface WatchHandle {
  session: ReloadSession;
  watcher: ContextWatcher;
  stop(): Promise<void>;
}

/** What the watch would do per image, for --dry-run. Pure. */
export function planWatch(ctx: { env: LoadedEnv; target: Target }): string[] {
  const { config, root } = ctx.env;
  const names = Object.keys(config.images);
  if (names.length === 0) return ["nothing to watch: devenv.ts declares no images"];
  return names.map((name) => {
    const img = config.images[name]!;
    const sync = img.sync.length ? img.sync.map((r) => `${r.from} → ${r.to}`).join(", ") : "none";
    const after = typeof img.afterSync === "object" ? `exec ${commandLine(img.afterSync.exec[0]!, img.afterSync.exec.slice(1))}` : img.afterSync;
    const rebuild = img.rebuildOn?.length ? img.rebuildOn.join(", ") : `${img.dockerfile} and anything not synced`;
    return `${name}: watch ${relative(root, `${root}/${img.context}`) || "."} (debounce ${config.watch.debounceMs} ms) · sync ${sync} · then ${after} · rebuild on ${rebuild} → ${ctx.target === "compose" ? "compose containers" : `pods in namespace ${ctx.env.namespace}`}`;
  });
}

/** Starts the session and the watchers; the process stays up while they run. */
/** What a watch needs: the environment, where it runs, the images built so far (filled in for the missing ones). */
export interface WatchContext {
  env: LoadedEnv;
  target: Target;
  images: Map<string, BuiltImage>;
  cluster?: ClusterHandle;
  verbose: boolean;
  log(line: string): void;
}

export async function startWatch(ctx: WatchContext, opts: Pick<SessionOptions, "onReload"> = {}): Promise<WatchHandle> {
  for (const name of Object.keys(ctx.env.config.images)) {
    if (!ctx.images.has(name)) ctx.images.set(name, await buildImage(ctx.env, name)); // `--only watch`: the content tag usually exists already
  }
  const driver = await driverFor(ctx);
  const session = new ReloadSession({ env: ctx.env, driver, images: ctx.images, log: (l) => ctx.log(l), onReload: opts.onReload, verbose: ctx.verbose });
  await session.start();
  const watcher = watchContexts([...session.rules.values()], {
    debounceMs: ctx.env.config.watch.debounceMs,
    onBatch: (image, changes, at) => void session.enqueue(image, changes, at),
    onError: (e) => ctx.log(`✗ watcher: ${e.message}`),
  });
  await watcher.ready;
  return { session, watcher, stop: async () => (await watcher.close(), await driver.close?.()) };
}

async function driverFor(ctx: WatchContext): Promise<TargetDriver> {
  if (ctx.target === "compose") {
    const { composeDriver } = await import("./compose-driver.js");
    return composeDriver(await requireDocker(), ctx.env);
  }
  if (!ctx.cluster) throw new DevenvError("the watch needs the cluster that ensure-cluster sets up", { hint: "run `devenv up --watch` without --only, or `devenv dev`" });
  const [{ clusterDriver }, { KubeRest }] = await Promise.all([import("./cluster-driver.js"), import("../kube/rest.js")]);
  return clusterDriver(ctx.env, await KubeRest.forContext(ctx.cluster.context), ctx.cluster);
}

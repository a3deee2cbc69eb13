// Hot reload, save → new content served, on the real engine: p50/p95 over 50 edits synced into
// a running container, against rebuild-and-recreate (the same app with no sync rules) measured
// in the same run. Targets: p50 < 300 ms, p95 < 1 s. Cleans up its containers and images.
import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { docker } from "../src/docker/client.js";
import { buildImage } from "../src/images/build.js";
import type { UpContext } from "../src/up/context.js";
import { startWatch, type WatchHandle } from "../src/watch/start.js";
import type { ReloadReport } from "../src/watch/status.js";
import { packCopies } from "../src/watch/tar.js";
import { appEnv, get, runApp, urlOf, writeApp } from "../test/integration/watch/sample-app.js";
import { percentile, report } from "./lib.js";

const EDITS = 50;
const BASELINE_RUNS = 5;
const d = await docker();
const id = randomBytes(3).toString("hex");
const roots: string[] = [];
const handles: WatchHandle[] = [];
const projects: string[] = [];
const refs = new Set<string>();
const reports: ReloadReport[] = [];

/** Starts the app under a watch; `sync: false` makes every change a rebuild. */
async function setUp(tag: string, sync: boolean): Promise<string> {
  const root = writeApp(`devenv-bench-${tag}-`);
  roots.push(root);
  const name = `bench-${tag}-${id}`;
  projects.push(name);
  const env = appEnv(root, name, sync ? {} : { sync: [] });
  env.config.watch.debounceMs = 50; // the default, not the tests' shorter one
  const built = await buildImage(env, "web");
  refs.add(built.ref);
  const imgs = new Map([["web", built]]);
  await runApp(d, built.ref, `${name}-web-1`, name);
  const ctx: UpContext = { env, target: "compose", dryRun: false, yes: true, verbose: false, watch: true, images: imgs, log: () => {} };
  handles.push(await startWatch(ctx, { onReload: (r) => reports.push(r) }));
  return root;
}

/** The URL of the project's current container (it changes when a rebuild replaces it). */
async function currentUrl(project: string): Promise<string | undefined> {
  const [c] = await d.containers.list({ filters: { label: [`com.docker.compose.project=${project}`] } });
  return c ? urlOf(d, c.Id).catch(() => undefined) : undefined;
}

/** Writes index.html and polls until it is served; returns the milliseconds. */
async function saveAndWait(root: string, project: string, body: string, fixedUrl?: string): Promise<number> {
  const t0 = performance.now();
  writeFileSync(join(root, "web", "public", "index.html"), body);
  for (;;) {
    const url = fixedUrl ?? (await currentUrl(project));
    if (url && (await get(`${url}/index.html`)).body === body) return performance.now() - t0;
    if (performance.now() - t0 > 180_000) throw new Error(`"${body}" not served within 180 s`);
    await new Promise((r) => setTimeout(r, fixedUrl ? 2 : 20));
  }
}

try {
  const syncRoot = await setUp("sync", true);
  const syncUrl = (await currentUrl(projects[0]!))!;
  const sync: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    sync.push(await saveAndWait(syncRoot, projects[0]!, `edit ${i} ${randomBytes(4).toString("hex")}`, syncUrl));
    await new Promise((r) => setTimeout(r, 60)); // one save per batch
  }
  const syncReports = reports.filter((r) => r.kind === "sync").map((r) => r.ms);
  // The fallback path alone: the same one-file archive through the engine's putArchive, nothing else.
  const [c] = await d.containers.list({ filters: { label: [`com.docker.compose.project=${projects[0]}`] } });
  const archive = await packCopies(join(syncRoot, "web"), [{ from: "public/index.html", to: "/app/public/index.html" }]);
  const floor: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await d.containers.putArchive(c!.Id, archive.tar, { path: "/" });
    floor.push(performance.now() - t0);
  }
  const rebuildRoot = await setUp("rebuild", false);
  const rebuild: number[] = [];
  for (let i = 0; i < BASELINE_RUNS; i++) rebuild.push(await saveAndWait(rebuildRoot, projects[1]!, `rebuild ${i} ${randomBytes(4).toString("hex")}`));
  const base = { name: `rebuild+recreate p50 (${BASELINE_RUNS} runs)`, value: percentile(rebuild, 50) };
  console.log(`# hot reload: save → new content served (compose container, debounce 50 ms, ${EDITS} edits; load average ${loadavg()[0]!.toFixed(1)} on this machine)`);
  report("sync p50", percentile(sync, 50), base, "< 300 ms");
  report("sync p95", percentile(sync, 95), base, "< 1000 ms");
  report("sync max", Math.max(...sync), base);
  const engine = { name: "bare putArchive p50 (fallback path)", value: percentile(floor, 50) };
  report("sync p50 (first event seen → synced)", percentile(syncReports, 50), engine);
  report("sync p50 (save → served)", percentile(sync, 50), engine);
  console.log(`sync p50 ${percentile(sync, 50) < 300 ? "meets" : "MISSES"} the 300 ms target; p95 ${percentile(sync, 95) < 1000 ? "meets" : "MISSES"} the 1 s target; rebuild+recreate p50 ${(base.value / 1000).toFixed(1)} s`);
} finally {
  for (const h of handles) await h.stop();
  for (const project of projects) {
    const cs = await d.containers.list({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
    await Promise.all(cs.map((c) => d.containers.remove(c.Id, { force: true })));
  }
  // Every content tag the rebuilds made, not just the last one.
  for (const project of projects) for (const i of await d.images.list({ filters: { reference: [`devenv-test/${project}`] } })) refs.add(i.Id);
  for (const ref of refs) await d.images.remove(ref, { force: true }).catch(() => {});
  for (const r of roots) rmSync(r, { recursive: true, force: true });
}

// Hot reload into a running container through the real engine: edits are served, deletions
// disappear, a Dockerfile change rebuilds and replaces the container, bad rules fail clearly.
import { afterAll, beforeAll, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { rmSync, unlinkSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describeDocker } from "../../helpers/docker.js";
import { docker, type DockerClient } from "../../../src/docker/client.js";
import { buildImage } from "../../../src/images/build.js";
import type { BuiltImage } from "../../../src/model/index.js";
import type { UpContext } from "../../../src/up/context.js";
import { startWatch, type WatchHandle } from "../../../src/watch/start.js";
import type { ReloadReport } from "../../../src/watch/status.js";
import { appEnv, dockerfile, eventually, get, runApp, urlOf, writeApp } from "./sample-app.js";

describeDocker("hot reload into compose containers (real engine)", () => {
  const suffix = randomBytes(4).toString("hex");
  const name = `watch-${suffix}`;
  const root = writeApp("devenv-watch-it-");
  const env = appEnv(root, name, { sync: [{ from: "public", to: "/app/public" }, { from: "missing-dir", to: "/app/missing" }, { from: "etc", to: "/etc/app" }] });
  const logs: string[] = [];
  const reports: ReloadReport[] = [];
  let d: DockerClient;
  let built: BuiltImage;
  let container: { id: string; url: string };
  let handle: WatchHandle;
  const images = new Map<string, BuiltImage>();
  const refs = new Set<string>();

  beforeAll(async () => {
    d = await docker();
    built = await buildImage(env, "web");
    refs.add(built.ref);
    images.set("web", built);
    container = await runApp(d, built.ref, `${name}-web-1`, name);
    await eventually("the app serves index.html", () => get(`${container.url}/index.html`), (r) => r.body === "hello v1");
    // A file written after the build: only the initial sync brings it in.
    writeFileSync(join(root, "web", "public", "late.txt"), "written after the build");
    mkdirSync(join(root, "web", "etc"));
    writeFileSync(join(root, "web", "etc", "app.conf"), "x=1");
    // Through the `watch` step's own entry point, as `devenv up --target compose --watch` runs it.
    const ctx: UpContext = { env, target: "compose", dryRun: false, yes: true, verbose: false, watch: true, images, log: (l) => logs.push(l) };
    handle = await startWatch(ctx, { onReload: (r) => reports.push(r) });
  });

  afterAll(async () => {
    await handle?.stop();
    const all = await d.containers.list({ all: true, filters: { label: [`com.docker.compose.project=${name}`] } });
    await Promise.all(all.map((c) => d.containers.remove(c.Id, { force: true, v: true })));
    for (const i of await d.images.list({ filters: { reference: [`devenv-test/${name}`] } })) refs.add(i.Id);
    for (const ref of refs) await d.images.remove(ref, { force: true }).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  });

  it("runs an initial sync at start (a file written after the build is served)", async () => {
    await eventually("late.txt served", () => get(`${container.url}/late.txt`), (r) => r.body === "written after the build", 5_000);
    const initial = reports.find((r) => r.kind === "initial")!;
    expect(initial.targets).toEqual([`container ${name}-web-1`]);
  });

  it("reports a sync source that does not exist, and keeps syncing the other rules", () => {
    expect(logs.join("\n")).toContain('sync source "missing-dir" does not exist');
    expect(logs.join("\n")).toContain("images.web.sync[1].from");
  });

  it("refuses a target outside the container's working directory, naming the container", () => {
    const text = logs.join("\n");
    expect(text).toContain(`/etc/app/app.conf is outside /app, the top of the working directory /app of container ${name}-web-1`);
  });

  it("serves an edited file", async () => {
    for (const n of [1, 2, 3]) {
      writeFileSync(join(root, "web", "public", "index.html"), `edit ${n}`);
      await eventually(`edit ${n} served`, () => get(`${container.url}/index.html`), (r) => r.body === `edit ${n}`);
    }
    mkdirSync(join(root, "web", "public", "nested", "dir"), { recursive: true });
    writeFileSync(join(root, "web", "public", "nested", "dir", "x.txt"), "nested file");
    await eventually("a file in a new directory is served", () => get(`${container.url}/nested/dir/x.txt`), (r) => r.body === "nested file");
    const line = logs.find((l) => l.startsWith("↻ web: synced"));
    expect(line).toMatch(new RegExp(`^↻ web: synced \\d+ files? → container ${name}-web-1 in [\\d.]+ m?s$`));
  });

  it("does not sync ignored files (.dockerignore)", async () => {
    writeFileSync(join(root, "web", "public", "scratch.tmp"), "ignored");
    writeFileSync(join(root, "web", "public", "after-ignored.txt"), "marker");
    await eventually("marker served", () => get(`${container.url}/after-ignored.txt`), (r) => r.body === "marker");
    expect((await get(`${container.url}/scratch.tmp`)).status).toBe(404);
  });

  it("removes a deleted file from the container", async () => {
    unlinkSync(join(root, "web", "public", "late.txt"));
    await eventually("late.txt gone", () => get(`${container.url}/late.txt`), (r) => r.status === 404);
  });

  it("rebuilds and replaces the container when the Dockerfile changes", async () => {
    expect((await get(`${container.url}/env`)).body).toBe("v1");
    writeFileSync(join(root, "web", "Dockerfile"), dockerfile("v2"));
    const replaced = await eventually("a rebuild report", async () => reports.find((r) => r.kind === "rebuild"), (r) => r !== undefined, 120_000, 100);
    expect(replaced!.errors).toEqual([]);
    expect(replaced!.targets).toEqual([`container ${name}-web-1`]);
    const now = await d.containers.list({ filters: { label: [`com.docker.compose.project=${name}`] } });
    expect(now).toHaveLength(1);
    expect(now[0]!.Id).not.toBe(container.id);
    expect(now[0]!.Image).toBe(images.get("web")!.ref);
    expect(images.get("web")!.ref).not.toBe(built.ref);
    const url = await urlOf(d, now[0]!.Id);
    await eventually("the new container serves v2", () => get(`${url}/env`), (r) => r.body === "v2");
    // The replacement keeps receiving syncs.
    writeFileSync(join(root, "web", "public", "index.html"), "after rebuild");
    await eventually("sync after rebuild", () => get(`${url}/index.html`), (r) => r.body === "after rebuild");
  });
});

// afterSync "restart" under the process supervisor, on the real engine: a sync restarts the
// service's process inside the running container (new PID, new content) while the container
// itself is not restarted (same StartedAt, same restart count); `docker stop` is forwarded to the
// process and the supervisor reaps orphans. The container runs what the compose override
// would make of the image's CMD (src/compose/override.ts, `supervised`).
import { afterAll, beforeAll, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeDocker } from "../../helpers/docker.js";
import { docker, type ContainerInspect, type DockerClient } from "../../../src/docker/client.js";
import { buildImage } from "../../../src/images/build.js";
import { execInNode } from "../../../src/images/node-exec.js";
import { dockerArgv, supervisorEntrypoint } from "../../../src/images/process-supervisor.js";
import type { BuiltImage } from "../../../src/model/index.js";
import { composeDriver } from "../../../src/watch/compose-driver.js";
import { ReloadSession } from "../../../src/watch/session.js";
import { appEnv, eventually, get, runApp, writeApp } from "./sample-app.js";

describeDocker("afterSync restart restarts the process, not the container (real engine)", () => {
  const name = `watch-proc-${randomBytes(4).toString("hex")}`;
  const root = writeApp("devenv-watch-proc-");
  const env = appEnv(root, name, { afterSync: "restart" });
  let d: DockerClient;
  let built: BuiltImage;
  let app: { id: string; url: string };
  const state = async () => {
    const info = (await d.containers.inspect(app.id)) as ContainerInspect & { RestartCount: number };
    return { startedAt: info.State.StartedAt, restarts: info.RestartCount, running: info.State.Running };
  };

  beforeAll(async () => {
    d = await docker();
    built = await buildImage(env, "web");
    const image = (await d.images.inspect(built.ref)).Config!;
    // The image's CMD is the exec form ["node", "server.js"]; the supervisor goes in front of it.
    const argv = dockerArgv({}, { entrypoint: image.Entrypoint as string[] | null, cmd: image.Cmd as string[] });
    expect(argv).toEqual(["node", "server.js"]);
    app = await runApp(d, built.ref, `${name}-web-1`, name, { Entrypoint: supervisorEntrypoint(), Cmd: argv });
    await eventually("the app is up", () => get(`${app.url}/pid`), (r) => r.status === 200);
  });

  afterAll(async () => {
    await d.containers.remove(app.id, { force: true, v: true }).catch(() => {});
    for (const i of await d.images.list({ filters: { reference: [`devenv-test/${name}`] } })) await d.images.remove(i.Id, { force: true }).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  });

  it("a sync restarts the process (new PID, new content) in the same container (same start time and restart count)", async () => {
    const before = await state();
    const pid = (await get(`${app.url}/pid`)).body;
    const logs: string[] = [];
    const driver = composeDriver(d, env);
    const session = new ReloadSession({ env, driver, images: new Map([["web", built]]), log: (l) => logs.push(l) });
    try {
      await session.start();
      for (const body of ["restarted once", "restarted twice"]) {
        const prev = (await get(`${app.url}/pid`)).body;
        writeFileSync(join(root, "web", "public", "index.html"), body);
        const report = await session.reload("web", [{ path: "public/index.html", kind: "change" }]);
        expect(report.errors).toEqual([]);
        // The published port stays: the container was not restarted, so the same URL serves.
        const served = await eventually("the new process serves", () => get(`${app.url}/pid`), (r) => r.status === 200 && r.body !== prev);
        expect(served.body).not.toBe(pid);
        expect((await get(`${app.url}/index.html`)).body).toBe(body);
      }
    } finally {
      await driver.close?.();
    }
    expect(await state()).toEqual(before);
    expect(before.running).toBe(true);
  });

  it("reaps orphans, and `docker stop` ends the process through the supervisor (SIGTERM forwarded, not SIGKILL)", async () => {
    // An exec whose background child outlives it: the child is re-parented to PID 1, the supervisor.
    await execInNode(d, app.id, ["sh", "-c", "sleep 0.2 & exit 0"]);
    await new Promise((r) => setTimeout(r, 600));
    const ps = await execInNode(d, app.id, ["sh", "-c", "cat /proc/[0-9]*/stat"]);
    expect(ps.stdout.split("\n").filter((l) => / Z /.test(l))).toEqual([]);
    await d.containers.stop(app.id, { t: 20 });
    const info = await d.containers.inspect(app.id);
    // 143 = 128 + SIGTERM: node died of the forwarded TERM; 137 would mean the engine's SIGKILL after the timeout.
    expect(info.State.ExitCode).toBe(143);
  });
});

// afterSync on the real engine: `exec` runs in the container after the files land, `restart` of
// a container started without the process supervisor restarts the container (the copied files
// survive; restart-process.test.ts covers the supervised case), a missing command is a clear error.
import { afterAll, beforeAll, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describeDocker } from "../../helpers/docker.js";
import { docker, type DockerClient } from "../../../src/docker/client.js";
import { buildImage } from "../../../src/images/build.js";
import type { BuiltImage } from "../../../src/model/index.js";
import { composeDriver } from "../../../src/watch/compose-driver.js";
import { ReloadSession } from "../../../src/watch/session.js";
import type { AfterSync } from "../../../src/watch/rules.js";
import { appEnv, dockerfile, eventually, get, runApp, urlOf, writeApp } from "./sample-app.js";

describeDocker("afterSync in compose containers (real engine)", () => {
  const name = `watch-after-${randomBytes(4).toString("hex")}`;
  const root = writeApp("devenv-watch-after-");
  let d: DockerClient;
  let built: BuiltImage;
  let app: { id: string; url: string };

  beforeAll(async () => {
    d = await docker();
    built = await buildImage(appEnv(root, name), "web");
    app = await runApp(d, built.ref, `${name}-web-1`, name);
    await eventually("the app is up", () => get(`${app.url}/index.html`), (r) => r.status === 200);
  });

  afterAll(async () => {
    await d.containers.remove(app.id, { force: true, v: true }).catch(() => {});
    for (const i of await d.images.list({ filters: { reference: [`devenv-test/${name}`] } })) await d.images.remove(i.Id, { force: true }).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  });

  async function syncWith(afterSync: AfterSync, body: string) {
    const env = appEnv(root, name, { afterSync });
    const logs: string[] = [];
    const session = new ReloadSession({ env, driver: composeDriver(d, env), images: new Map([["web", built]]), log: (l) => logs.push(l) });
    await session.start();
    writeFileSync(join(root, "web", "public", "index.html"), body);
    return { report: await session.reload("web", [{ path: "public/index.html", kind: "change" }]), logs };
  }

  it("exec runs in the container after the files land", async () => {
    const { report } = await syncWith({ exec: ["sh", "-c", "cat /app/public/index.html > /app/public/hook.txt"] }, "hooked");
    expect(report.errors).toEqual([]);
    expect((await get(`${app.url}/hook.txt`)).body).toBe("hooked");
  });

  it("a missing afterSync command: a clear error naming the container; the files are synced anyway", async () => {
    const { report, logs } = await syncWith({ exec: ["no-such-reloader"] }, "still synced");
    expect(report.errors.map((e) => e.message)).toEqual([`\`no-such-reloader\` in container ${name}-web-1 failed: no-such-reloader is not available in the container`]);
    expect(logs.join("\n")).toContain("hint: install no-such-reloader in the image, or change afterSync in devenv.ts");
    expect((await get(`${app.url}/index.html`)).body).toBe("still synced");
  });

  it("a failing rebuild reports the build error and leaves the running container alone", async () => {
    const env = appEnv(root, name);
    const logs: string[] = [];
    const session = new ReloadSession({ env, driver: composeDriver(d, env), images: new Map([["web", built]]), log: (l) => logs.push(l) });
    await session.start();
    writeFileSync(join(root, "web", "Dockerfile"), "FROM devenv-local/node:20\nRUN echo about to fail && false\n");
    try {
      const report = await session.reload("web", [{ path: "Dockerfile", kind: "change" }]);
      expect(report.kind).toBe("rebuild");
      expect(report.errors).toHaveLength(1);
      expect(report.targets).toEqual([]);
      expect(logs.join("\n")).toMatch(/✗ web: rebuilt .* → nothing to replace .*\(1 error\)/);
      expect((await d.containers.inspect(app.id)).State.Running).toBe(true);
    } finally {
      writeFileSync(join(root, "web", "Dockerfile"), dockerfile("v1"));
    }
  });

  it("restart of a container without the supervisor restarts the container and the synced file survives it", async () => {
    const startedBefore = (await d.containers.inspect(app.id)).State.StartedAt;
    const { report } = await syncWith("restart", "after restart");
    expect(report.errors).toEqual([]);
    expect((await d.containers.inspect(app.id)).State.StartedAt).not.toBe(startedBefore);
    const url = await urlOf(d, app.id); // a random host port is allocated again on restart
    await eventually("served after the restart", () => get(`${url}/index.html`), (r) => r.body === "after restart");
  });
});

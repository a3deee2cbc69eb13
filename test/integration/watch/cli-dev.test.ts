// `devenv up --target compose --watch` end to end through the real CLI: build-images,
// compose-up (docker-compose), then the watch step; an edit is served, Ctrl-C stops it. The
// image has afterSync "restart": the override runs the service under the process supervisor,
// so the edit restarts the process (new PID) and not the container (same StartedAt).
import { afterAll, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa, type ResultPromise } from "execa";
import { describeDocker } from "../../helpers/docker.js";
import { repoRoot } from "../../helpers/cli.js";
import { docker } from "../../../src/docker/client.js";
import { eventually, get, urlOf, writeApp } from "./sample-app.js";

describeDocker("devenv up --target compose --watch (real CLI, docker-compose)", () => {
  const project = `watch-cli-${randomBytes(4).toString("hex")}`;
  const root = writeApp("devenv-watch-cli-");
  let child: ResultPromise | undefined;
  let stderr = "";

  afterAll(async () => {
    child?.kill("SIGKILL");
    const d = await docker();
    const cs = await d.containers.list({ all: true, filters: { label: [`com.docker.compose.project=${project}`] } });
    await Promise.all(cs.map((c) => d.containers.remove(c.Id, { force: true, v: true })));
    for (const n of await d.networks.list({ filters: { label: [`com.docker.compose.project=${project}`] } })) await d.networks.remove(n.Id).catch(() => {});
    for (const i of await d.images.list({ filters: { reference: [`devenv-test/${project}`] } })) await d.images.remove(i.Id, { force: true }).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  });

  it("serves an edit made after `up` from a restarted process in the same container, then stops on Ctrl-C", async () => {
    mkdirSync(join(root, "compose"));
    writeFileSync(
      join(root, "compose", "docker-compose.yml"),
      `services:\n  web:\n    image: devenv-test/${project}\n    build:\n      context: ../web\n    ports:\n      - "127.0.0.1::8080"\n`,
    );
    writeFileSync(
      join(root, "devenv.ts"),
      `export default {\n  name: "${project}",\n  images: { web: { image: "devenv-test/${project}", context: "web", sync: [{ from: "public", to: "/app/public" }], afterSync: "restart" } },\n  compose: { files: ["compose/docker-compose.yml"], projectName: "${project}" },\n};\n`,
    );
    child = execa("node", [join(repoRoot, "bin/devenv.js"), "up", "--target", "compose", "--watch", "--env", join(root, "devenv.ts")], {
      cwd: root,
      env: { NO_COLOR: "1", DEVENV_FROM_SOURCE: "1", CI: "" },
      reject: false,
    });
    child.stderr?.on("data", (b: Buffer) => (stderr += b.toString()));
    await eventually("the watch starts", async () => stderr, (s) => /initial sync/.test(s) || child!.exitCode !== null, 240_000, 200);
    expect(child.exitCode, stderr).toBeNull();
    const d = await docker();
    const [c] = await d.containers.list({ filters: { label: [`com.docker.compose.project=${project}`] } });
    const url = await urlOf(d, c!.Id);
    const before = await d.containers.inspect(c!.Id);
    expect(before.Config.Entrypoint).toContain("devenv-supervise"); // through docker-compose's own reading of the override
    const pid = await eventually("the app answers", () => get(`${url}/pid`), (r) => r.status === 200);
    writeFileSync(join(root, "web", "public", "index.html"), "edited while watching");
    await eventually("the edit is served", () => get(`${url}/index.html`), (r) => r.body === "edited while watching");
    await eventually("a restarted process serves", () => get(`${url}/pid`), (r) => r.status === 200 && r.body !== pid.body);
    expect((await d.containers.inspect(c!.Id)).State.StartedAt).toBe(before.State.StartedAt);
    await eventually("a status line", async () => stderr, (s) => /↻ web: synced 1 file → container /.test(s), 10_000, 50);
    child.kill("SIGINT");
    const r = await child;
    expect(r.exitCode, stderr).toBe(0);
  });
});

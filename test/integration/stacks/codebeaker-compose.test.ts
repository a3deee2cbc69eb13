// CodeBeaker under docker compose on the real engine, brought up by the real CLI in a temp copy
// of the stack: the api queues a job on the shared volume, a worker claims and runs it, the api
// returns the stored result.
import { afterAll, beforeAll, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { describeDocker, LOCAL_OVERRIDES } from "../../helpers/docker.js";
import { devenv } from "../../helpers/cli.js";
import { loadEnv, type LoadedEnv } from "../../../src/config/load.js";
import { composeDown, composePs } from "../../../src/compose/run.js";
import { composeUpStep } from "../../../src/up/steps/compose.js";
import type { UpContext } from "../../../src/up/context.js";
import { buildAll, copyStack, freePort, getJson } from "./stack-harness.js";

describeDocker("CodeBeaker under docker compose (real CLI)", () => {
  let root: string;
  let env: LoadedEnv;
  let api: string;
  let ctx: UpContext;
  let up: Awaited<ReturnType<typeof devenv>>;

  beforeAll(async () => {
    process.env.DEVENV_IMAGE_OVERRIDES ||= LOCAL_OVERRIDES;
    process.env.API_PORT = String(await freePort());
    api = `http://127.0.0.1:${process.env.API_PORT}`;
    root = copyStack(["fixtures/codebeaker"], "fixtures/codebeaker/devenv.ts", `devenv-test-cb-${randomBytes(3).toString("hex")}`);
    up = await devenv(["up", "--target", "compose", "--env", "fixtures/codebeaker/devenv.ts"], { cwd: root });
    env = await loadEnv("fixtures/codebeaker/devenv.ts", root);
    // The same content tags the CLI built (nothing is rebuilt: the tags exist).
    ctx = { env, target: "compose", dryRun: false, yes: true, verbose: false, watch: false, images: await buildAll(env), log: () => {} };
  });
  afterAll(async () => {
    if (env) await composeDown(env, { volumes: true }).catch(() => undefined);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("runs every service on its content-tagged image, healthy", async () => {
    expect(up.code, up.stderr).toBe(0);
    const ps = await composePs(env);
    expect(ps.map((s) => s.service).sort()).toEqual(["api", "worker"]);
    for (const s of ps) {
      expect(s.image).toBe(ctx.images.get(s.service)!.ref);
      expect(s.health).toBe("healthy");
    }
  });

  it("submits a job; the worker writes its result to the shared volume; the api returns it", async () => {
    const submitted = await getJson(`${api}/jobs`, { method: "POST", body: JSON.stringify({ code: "console.log(6 * 7)" }) });
    expect(submitted.status).toBe(202);
    let result: any;
    for (let i = 0; i < 60 && result?.status !== "done"; i++) {
      await new Promise((r) => setTimeout(r, 250));
      result = (await getJson(`${api}/jobs/${submitted.body.id}`)).body;
    }
    expect(result).toMatchObject({ id: submitted.body.id, status: "done", exitCode: 0, stdout: "42\n" });
  });

  it("a job naming an image runs in a sibling container through the worker's Docker socket (docker run --rm)", async () => {
    // A local image (never pulled): the worker's own, which has node.
    const image = ctx.images.get("worker")!.ref;
    const submitted = await getJson(`${api}/jobs`, { method: "POST", body: JSON.stringify({ image, code: "console.log(require('os').hostname().length, 6 * 7)" }) });
    expect(submitted.status).toBe(202);
    let result: any;
    for (let i = 0; i < 120 && !["done", "failed", "timeout"].includes(result?.status); i++) {
      await new Promise((r) => setTimeout(r, 250));
      result = (await getJson(`${api}/jobs/${submitted.body.id}`)).body;
    }
    expect(result, JSON.stringify(result)).toMatchObject({ id: submitted.body.id, status: "done", exitCode: 0, stdout: "12 42\n" });
    // It ran in a container of its own (the short id the engine gave it), removed afterwards.
    expect(result.container).toMatch(/^[0-9a-f]{12}$/);
    expect(execFileSync("docker", ["ps", "-aq", "--filter", `label=codebeaker.job=${submitted.body.id}`], { encoding: "utf8" }).trim()).toBe("");
  });

  it("compose-up's check says the stack is up to date, so a second up changes nothing", async () => {
    expect(await composeUpStep.check!(ctx)).toMatch(/^running/);
  });
});

// CodeBeaker under docker compose on the real engine: the api queues a job on the shared
// volume, a worker claims and runs it, the api returns the stored result.
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeDocker } from "../../helpers/docker.js";
import type { LoadedEnv } from "../../../src/config/load.js";
import { composeDown, composePs, composeUp } from "../../../src/compose/run.js";
import { composeUpStep } from "../../../src/compose/steps.js";
import type { UpContext } from "../../../src/steps/context.js";
import { buildAll, getJson, loadStack } from "./stack-harness.js";

describeDocker("CodeBeaker under docker compose", () => {
  let env: LoadedEnv;
  let api: string;
  let ctx: UpContext;

  beforeAll(async () => {
    const s = await loadStack("fixtures/codebeaker/devenv.ts", "devenv-test-cb", ["API_PORT"]);
    env = s.env;
    api = `http://127.0.0.1:${s.ports.API_PORT}`;
    const images = await buildAll(env);
    ctx = { env, target: "compose", dryRun: false, yes: true, verbose: false, watch: false, images, log: () => {} };
    await composeUp(env, images);
  });
  afterAll(async () => {
    if (env) await composeDown(env, { volumes: true }).catch(() => undefined);
  });

  it("runs every service on its content-tagged image, healthy", async () => {
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

  it("compose-up's check says the stack is up to date, so a second up changes nothing", async () => {
    expect(await composeUpStep.check!(ctx)).toMatch(/^running/);
  });
});

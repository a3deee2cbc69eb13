// The fixtures' own code, run directly with Node: the worker's limits; and AgentForge's
// dependencies: pinned by the lockfile, installed on the host, sent in the build context.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { listContext } from "../../../src/images/context-files.js";
import { repoRoot } from "../../helpers/cli.js";

const load = (p: string): Promise<any> => import(pathToFileURL(join(repoRoot, p)).href as string);

describe("CodeBeaker worker execute()", () => {
  it("runs code with node and returns its output", async () => {
    const { execute } = await load("fixtures/codebeaker/services/worker/execute.js");
    expect(await execute({ code: "console.log(1 + 1)" }, { timeoutMs: 10_000, memoryMb: 64 })).toMatchObject({ status: "done", exitCode: 0, stdout: "2\n" });
  });
  it("kills a job at the timeout, children included", async () => {
    const { execute } = await load("fixtures/codebeaker/services/worker/execute.js");
    const r = await execute({ command: "sleep 30 & sleep 30" }, { timeoutMs: 300, memoryMb: 64 });
    expect(r.status).toBe("timeout");
    expect(r.durationMs).toBeLessThan(10_000);
  });
  it("caps the heap at the memory limit", async () => {
    const { execute } = await load("fixtures/codebeaker/services/worker/execute.js");
    const r = await execute({ code: "const a = []; for (;;) a.push(new Array(1e6).fill(1));" }, { timeoutMs: 20_000, memoryMb: 32 });
    expect(r.status).toBe("failed");
    expect(r.stderr).toMatch(/heap/i);
  });
});

describe("AgentForge services' dependencies", () => {
  const dir = join(repoRoot, "fixtures/agentforge/services");
  const readJson = (p: string) => JSON.parse(readFileSync(join(dir, p), "utf8"));
  const services = ["backend", "data-collector", "frontend"];

  it("are pg, ioredis and ws, locked, and installed at the locked versions (npm run stacks:deps)", () => {
    const pkg = readJson("package.json");
    const lock = readJson("package-lock.json");
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["ioredis", "pg", "ws"]);
    expect(lock.packages[""].dependencies).toEqual(pkg.dependencies);
    for (const dep of Object.keys(pkg.dependencies)) {
      // From the services' own node_modules, not the repo root's (which has the same packages).
      const req = createRequire(join(dir, "backend/server.js"));
      expect(req.resolve(`${dep}/package.json`), dep).toBe(join(dir, "node_modules", dep, "package.json"));
      expect(readJson(`node_modules/${dep}/package.json`).version, dep).toBe(lock.packages[`node_modules/${dep}`].version);
    }
  });

  it("go into every image's build context: the shared node_modules is not docker-ignored", async () => {
    const paths = (await listContext(dir, "backend/Dockerfile")).map((e) => e.path);
    for (const p of ["package-lock.json", "node_modules/pg/package.json", "node_modules/ioredis/package.json", "node_modules/ws/package.json", "node_modules/pg-protocol/package.json"]) expect(paths, p).toContain(p);
  });

  it("are one layer shared by the three images, copied before the service code", () => {
    const head = (svc: string) => {
      const lines = readFileSync(join(dir, svc, "Dockerfile"), "utf8").split("\n").filter((l) => !l.startsWith("#"));
      const copy = lines.indexOf("COPY node_modules ./node_modules");
      expect(copy, svc).toBeGreaterThan(0);
      expect(lines.findIndex((l) => l.startsWith(`COPY ${svc} `)), svc).toBeGreaterThan(copy);
      return lines.slice(0, copy + 1);
    };
    const [first, ...rest] = services.map(head);
    for (const h of rest) expect(h).toEqual(first);
  });
});

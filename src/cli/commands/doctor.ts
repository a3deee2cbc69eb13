// `devenv doctor`: what is missing on this machine and how to fix it.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { Command } from "../cli.js";
import { doctorChecks, type DoctorOptions } from "../../doctor/checks.js";
import type { CheckResult } from "../../doctor/check.js";
import type { LoadedEnv } from "../../config/load.js";

const doctor: Command = async (cli) => {
  const o = await doctorOptions(cli.opts.env, cli.cwd, cli.err);
  const settled: (CheckResult | undefined)[] = await Promise.all(
    doctorChecks(o).map(async (c) => {
      try {
        const verdict = await c.run();
        // A check that does not apply here (Docker Desktop's resources on a Linux engine) is not shown.
        return verdict && { id: c.id, title: c.title, ...verdict };
      } catch (e) {
        return { id: c.id, title: c.title, status: "fail" as const, detail: `check crashed: ${e instanceof Error ? e.message : String(e)}` };
      }
    }),
  );
  const results = settled.filter((r): r is CheckResult => r !== undefined);
  const failed = results.filter((r) => r.status === "fail").length;
  if (cli.opts.json) {
    cli.out(JSON.stringify({ outcome: failed ? "fail" : "ok", provider: o.traits.provider, checks: results }, null, 2));
    return failed ? 1 : 0;
  }
  const { style: s } = cli;
  const mark = { ok: s.green("✓"), warn: s.yellow("!"), fail: s.red("✗") };
  for (const r of results) {
    cli.out(`${mark[r.status]} ${r.title}: ${r.detail}`);
    if (r.hint && r.status !== "ok") cli.out(`    ${s.cyan("fix:")} ${r.hint}`);
  }
  const warned = results.filter((r) => r.status === "warn").length;
  cli.out(`\n${failed ? s.red(`${failed} required check(s) failed`) : s.green("ready")}${warned ? `, ${warned} warning(s)` : ""} (provider: ${o.traits.provider})`);
  return failed ? 1 : 0;
};
export default doctor;

/** Reads provider and ports from devenv.ts when it loads; doctor still runs when it does not. */
async function doctorOptions(envFile: string, cwd: string, warn: (s: string) => void): Promise<DoctorOptions> {
  const { traitsOf } = await import("../../cluster/traits.js");
  const fallback: DoctorOptions = { traits: traitsOf({ provider: "kind" }), ports: { http: 80, https: 443 } };
  if (!existsSync(resolve(cwd, envFile))) return fallback;
  try {
    const { loadEnv } = await import("../../config/load.js");
    const env = await loadEnv(envFile, cwd);
    const { config } = env;
    const { stackPullImages } = await import("../../doctor/image-checks.js");
    return { traits: traitsOf(config.cluster), name: config.cluster.name, ports: config.cluster.ports, env: { config }, compose: await composePorts(env, warn), pulls: stackPullImages(config, await composeImages(env)) };
  } catch (e) {
    warn(`! ${envFile} does not load (${e instanceof Error ? e.message : String(e)}); checking with defaults`);
    return fallback;
  }
}

/** The host ports of devenv.ts's compose setup (read with devenv's compose reader), if it declares one. */
async function composePorts(env: LoadedEnv, warn: (s: string) => void): Promise<DoctorOptions["compose"]> {
  if (!env.config.compose) return undefined;
  try {
    const { loadEnvCompose } = await import("../../compose/run.js");
    const { composeProjectName } = await import("../../compose/project-name.js");
    const { publishedPorts } = await import("../../doctor/compose-port-checks.js");
    return { project: composeProjectName(env), ports: publishedPorts(loadEnvCompose(env)) };
  } catch (e) {
    warn(`! the compose setup does not load (${e instanceof Error ? e.message : String(e)}); its ports are not checked`);
    return undefined;
  }
}

/** compose's services with the image each runs and whether something builds it (compose's build: or a devenv image). */
async function composeImages(env: LoadedEnv): Promise<{ image?: string; built: boolean }[]> {
  if (!env.config.compose) return [];
  try {
    const { loadEnvCompose } = await import("../../compose/run.js");
    const { repositoryOf } = await import("../../images/refs.js");
    const ours = new Set(Object.values(env.config.images).map((i) => repositoryOf(i.image)));
    return Object.values(loadEnvCompose(env).services).map((svc) => ({ image: svc.image, built: Boolean(svc.build) || (svc.image !== undefined && ours.has(repositoryOf(svc.image))) }));
  } catch {
    return []; // the compose setup that does not load is reported with its ports
  }
}

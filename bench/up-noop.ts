// A no-op `devenv up --target compose` of AgentForge (the root devenv.ts, in a temp copy under its
// own compose project and free host ports), against the first `up` of the same stack in the same
// run. Each run: a first `up` from nothing (no containers, no volumes; the content-tagged images
// are cached, so nothing is built), then NOOP no-op `up`s. Times are the whole CLI process (what
// a developer waits for), run from a build of the current sources (or through tsx with
// DEVENV_BENCH_SOURCE=1), with each step's split from `--json` and, where /usr/bin/time exists,
// the process's CPU time. BENCH_BEFORE=1 also times no-op `up`s of a build of the last commit
// (BENCH_BEFORE_REF=<commit> names another one)
// on the same stack. Targets: no-op < 2 s and < 0.15x the first `up`. The stack is torn down
// with `devenv down` (and its volumes removed).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { docker } from "../src/docker/client.js";
import { repoRoot } from "../test/helpers/cli.js";
import { median, report } from "./lib.js";

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** The stack in a temp dir under its own compose project; `import "devenv-k8s"` resolves to this checkout. */
function copyStack(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), "devenv-bench-noop-"));
  for (const p of ["devenv.ts", "compose", "fixtures/agentforge"]) cpSync(join(repoRoot, p), join(dir, p), { recursive: true, filter: (src) => !src.includes("/.devenv") });
  const file = join(dir, "devenv.ts");
  writeFileSync(file, readFileSync(file, "utf8").replace(/projectName: "[^"]*"/, `projectName: "${name}"`));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  return dir;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NOOP = Number(process.env.BENCH_NOOP ?? 3);
const fromSource = process.env.DEVENV_BENCH_SOURCE === "1";
const project = `devenv-bench-noop-${randomBytes(3).toString("hex")}`;
// The local images (no pulls here), as CI's DEVENV_IMAGE_OVERRIDES maps them.
process.env.DEVENV_IMAGE_OVERRIDES ||= "node:20=devenv-local/node:20,node:20-slim=devenv-local/node:20,postgres:16=devenv-local/postgres:16,redis:7=devenv-local/redis:7,registry:2=devenv-local/registry:2";
for (const v of ["BACKEND_PORT", "FRONTEND_PORT", "COLLECTOR_PORT"]) process.env[v] = String(await freePort());
const root = copyStack(project);

/**
 * The shipped entry (bin/devenv.js over dist/) built in a temp dir, from the working tree or,
 * for the before figure, from a commit (`git archive <ref>`, HEAD unless BENCH_BEFORE_REF); dist/ is left alone.
 */
function buildCli(from: "worktree" | "HEAD", ref = process.env.BENCH_BEFORE_REF || "HEAD"): { bin: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "devenv-bench-cli-"));
  let project = join(repoRoot, "tsconfig.build.json");
  if (from === "HEAD") {
    const src = join(dir, "head");
    mkdirSync(src);
    execFileSync("bash", ["-c", `git -C "${repoRoot}" archive "${ref}" src tsconfig.json tsconfig.build.json | tar -x -C "${src}"`]);
    symlinkSync(join(repoRoot, "node_modules"), join(src, "node_modules"), "dir");
    cpSync(join(repoRoot, "package.json"), join(src, "package.json")); // an ES module package, as the repo
    project = join(src, "tsconfig.build.json");
  }
  try {
    execFileSync("npx", ["tsc", "-p", project, "--outDir", join(dir, "dist"), "--declaration", "false", "--sourceMap", "false"], { cwd: repoRoot, stdio: "pipe" });
  } catch (e) {
    // tsc emits despite type errors (another change under way elsewhere); only a missing entry stops the bench.
    if (!existsSync(join(dir, "dist", "cli", "main.js"))) throw e;
    console.error(`note: the ${from} build has type errors (it was emitted anyway)`);
  }
  mkdirSync(join(dir, "bin"));
  cpSync(join(repoRoot, "bin", "devenv.js"), join(dir, "bin", "devenv.js"));
  cpSync(join(repoRoot, "package.json"), join(dir, "package.json"));
  // What the package ships besides bin/ and dist/ (clusters/: the addon manifests and their lock).
  for (const p of ["node_modules", "clusters"]) symlinkSync(join(repoRoot, p), join(dir, p), "dir");
  return { bin: join(dir, "bin", "devenv.js"), dir };
}

interface Step {
  id: string;
  status: string;
  ms: number;
  startMs: number;
}
interface Up {
  wall: number;
  /** user + system CPU time of the CLI process (and its children), when /usr/bin/time is there. */
  cpu?: number;
  steps: Step[];
}

type Cli = { bin: string; dir: string };
const after: Cli = fromSource ? { bin: join(repoRoot, "bin", "devenv.js"), dir: "" } : buildCli("worktree");
const before: Cli | undefined = process.env.BENCH_BEFORE === "1" ? buildCli("HEAD") : undefined;
const timeBin = existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const cpuFile = join(tmpdir(), `devenv-bench-cpu-${project}`);
const run = (cli: Cli, args: string[]) => {
  const argv = [cli.bin, "--env", join(root, "devenv.ts"), ...args];
  const env = { NO_COLOR: "1", DEVENV_FROM_SOURCE: fromSource ? "1" : "0" };
  return timeBin ? execa(timeBin, ["-f", "%U %S", "-o", cpuFile, "node", ...argv], { cwd: root, reject: false, env }) : execa("node", argv, { cwd: root, reject: false, env });
};

async function up(cli: Cli): Promise<Up> {
  const t0 = performance.now();
  const r = await run(cli, ["up", "--target", "compose", "--json"]);
  const wall = performance.now() - t0;
  if (r.exitCode !== 0) throw new Error(`devenv up failed (${r.exitCode}):\n${r.stderr}\n${r.stdout}`);
  const cpu = timeBin ? readFileSync(cpuFile, "utf8").trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0) * 1000 : undefined;
  return { wall, cpu, steps: (JSON.parse(String(r.stdout)) as { steps: Step[] }).steps };
}

const d = await docker();
const label = `com.docker.compose.project=${project}`;
/** The project's containers as id + start time: a no-op `up` must leave both alone. */
const containers = async () => (await Promise.all((await d.containers.list({ all: true, filters: { label: [label] } })).map(async (c) => `${c.Id} ${(await d.containers.inspect(c.Id)).State.StartedAt}`))).sort().join("\n");

async function tearDown(): Promise<void> {
  const r = await run(after, ["down", "--target", "compose"]);
  if (r.exitCode !== 0) console.error(`devenv down failed: ${r.stderr}`);
  for (const v of await d.volumes.list({ filters: { label: [label] } })) await d.volumes.remove(v.Name).catch(() => undefined);
}

/** Per-step split of one `up`: startup (process start → first step), each step, and what follows the last. */
function split(u: Up): Record<string, number> {
  const out: Record<string, number> = {};
  // The last commit's --json has no startMs: no startup / after-steps figures for it.
  const timed = u.steps.every((s) => typeof s.startMs === "number");
  if (timed) out.startup = Math.min(...u.steps.map((s) => s.startMs));
  for (const s of u.steps) out[s.id] = s.ms;
  if (timed) out["after steps"] = u.wall - Math.max(...u.steps.map((s) => s.startMs + s.ms));
  return out;
}

const firsts: Up[] = [];
const noops: Up[] = [];
const befores: Up[] = [];
let unchanged = true;
try {
  for (let i = 0; i < RUNS; i++) {
    await tearDown();
    firsts.push(await up(after));
    const kept = await containers();
    for (let j = 0; j < NOOP; j++) {
      noops.push(await up(after));
      if (before) befores.push(await up(before));
    }
    if ((await containers()) !== kept) unchanged = false;
    for (const n of noops.slice(-NOOP)) if (n.steps.some((s) => s.id === "build-images" && s.status !== "skipped")) unchanged = false;
  }
  const first = median(firsts.map((u) => u.wall));
  const noop = median(noops.map((u) => u.wall));
  const base = { name: "first up", value: first };
  console.log(`# up --target compose of AgentForge, ${fromSource ? "sources through tsx" : "a build of the current sources"}; ${RUNS} first ups (from nothing, images cached), ${noops.length} no-op ups; load average ${loadavg()[0]!.toFixed(1)}`);
  report("first up (median)", first, base);
  report("no-op up (median)", noop, base, "< 2000 ms and < 0.15x");
  report("no-op up (max)", Math.max(...noops.map((u) => u.wall)), base);
  if (befores.length) report(`no-op up before (${process.env.BENCH_BEFORE_REF || "last commit"}, median of ${befores.length})`, median(befores.map((u) => u.wall)), base);
  if (timeBin) {
    const cpu = (us: Up[]) => median(us.map((u) => u.cpu!));
    const node = median(await Promise.all([0, 1, 2].map(async () => (await execa(timeBin, ["-f", "%U %S", "-o", cpuFile, "node", "-e", ""]), readFileSync(cpuFile, "utf8").trim().split(/\s+/).map(Number).reduce((a, b) => a + b, 0) * 1000))));
    const cpuBase = { name: "first up CPU", value: cpu(firsts) };
    console.log(`CPU time (user + system) of the devenv process, median; bare \`node -e ""\`: ${node.toFixed(0)} ms`);
    report("first up CPU", cpu(firsts), cpuBase);
    report("no-op up CPU", cpu(noops), cpuBase);
    if (befores.length) report(`no-op up CPU before (${process.env.BENCH_BEFORE_REF || "last commit"})`, cpu(befores), cpuBase);
  }
  console.log("per-step split, median ms (first up / no-op up" + (befores.length ? " / no-op up before" : "") + "):");
  const keys = [...new Set([...firsts, ...noops, ...befores].flatMap((u) => Object.keys(split(u))))];
  for (const k of keys) {
    const m = (us: Up[]) => {
      const xs = us.map((u) => split(u)[k]).filter((x): x is number => x !== undefined);
      return (xs.length ? median(xs).toFixed(0) : "-").padStart(6);
    };
    const status = noops[0]?.steps.find((s) => s.id === k)?.status;
    console.log(`  ${k.padEnd(14)} ${m(firsts)} / ${m(noops)}${befores.length ? ` / ${m(befores)}` : ""}${status ? `  (no-op: ${status})` : ""}`);
  }
  console.log(`no-op up ${noop < 2000 && noop < 0.15 * first ? "meets" : "MISSES"} the target (${(noop / 1000).toFixed(2)} s, ${(noop / first).toFixed(3)}x); containers ${unchanged ? "kept (same ids and start times), nothing built" : "CHANGED or an image was built"} by the no-op ups`);
} finally {
  await tearDown();
  rmSync(root, { recursive: true, force: true });
  rmSync(cpuFile, { force: true });
  for (const c of [after, before]) if (c?.dir) rmSync(c.dir, { recursive: true, force: true });
}

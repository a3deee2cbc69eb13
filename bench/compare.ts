// compare-compose on a generated 200-service stack (compose + plain manifests in a temp dir).
// Prints times and ratios against a baseline measured in the same run: parsing the YAML alone.
// Target: the full command under 1 s. Run: npx tsx bench/compare.ts
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseAllDocuments, parse, stringify } from "yaml";
import { loadCompose } from "../src/compose/load.js";
import { compareStacks } from "../src/compare/compare.js";
import { loadManifests } from "../src/kube/manifests.js";
import { convertProject } from "../src/convert/convert.js";
import { main } from "../src/cli/main.js";
import { generateCompose } from "../test/fixtures/compare/generate-stack.js";

const SERVICES = 200;
const ROUNDS = 5;

const dir = mkdtempSync(join(tmpdir(), "devenv-bench-compare-"));
writeFileSync(join(dir, "compose.yml"), generateCompose(7, SERVICES));
const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
const converted = convertProject(project, { namespace: "bench" });
mkdirSync(join(dir, "k8s"));
for (const [file, objs] of converted.files) writeFileSync(join(dir, "k8s", file), objs.map((o) => stringify(o)).join("---\n"));
const manifestTexts = [...converted.files.keys()].map((f) => readFileSync(join(dir, "k8s", f), "utf8"));
const composeText = readFileSync(join(dir, "compose.yml"), "utf8");

/** Median wall time of `fn` in ms over ROUNDS runs (after one warm-up). */
async function time(fn: () => unknown): Promise<number> {
  await fn();
  const runs: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await fn();
    runs.push(performance.now() - t);
  }
  return runs.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

const objects = await loadManifests([join(dir, "k8s")]);
const baseline = await time(() => {
  parse(composeText, { merge: true });
  for (const t of manifestTexts) parseAllDocuments(t);
});
const pure = await time(() => compareStacks(project, objects, { order: converted.order }));
const load = await time(async () => compareStacks(loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }), await loadManifests([join(dir, "k8s")]), { order: converted.order }));
const write = process.stdout.write.bind(process.stdout);
let exit = -1;
const full = await time(async () => {
  process.stdout.write = () => true;
  try {
    exit = await main(["compare-compose", "--compose", join(dir, "compose.yml"), "--k8s", join(dir, "k8s"), "--no-color"]);
  } finally {
    process.stdout.write = write;
  }
});
rmSync(dir, { recursive: true, force: true });

const row = (name: string, ms: number) => console.log(`${name.padEnd(42)} ${ms.toFixed(1).padStart(8)} ms   ${(ms / baseline).toFixed(2).padStart(6)}× baseline`);
console.log(`compare-compose bench: ${SERVICES + 1} services, ${objects.length} objects, median of ${ROUNDS}`);
row("baseline: parse the YAML only", baseline);
row("pure compare (parsed inputs)", pure);
row("load + compare (read, interpolate, match)", load);
row("full command in-process (exit " + exit + ")", full);
console.log(`target: full command < 1000 ms — ${full < 1000 ? "met" : "NOT met"} (load average ${loadavg()[0]!.toFixed(1)} on this machine: absolute times scale with it, the ratios much less)`);

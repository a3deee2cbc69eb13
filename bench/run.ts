// `npm run bench`: runs every benchmark in bench/ (or those named on the command line), each in
// its own process, and prints their figures. Benchmarks print ratios against a baseline
// measured in the same run, so figures compare across machines.
import { readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL(".", import.meta.url));
const skip = new Set(["run.ts", "lib.ts"]);
const wanted = process.argv.slice(2);
const all = readdirSync(dir).filter((f) => f.endsWith(".ts") && !skip.has(f));
const chosen = wanted.length ? all.filter((f) => wanted.some((w) => f.startsWith(w))) : all;
let failed = 0;
for (const f of chosen) {
  console.log(`\n=== bench/${f}`);
  try {
    execFileSync("npx", ["tsx", `${dir}/${f}`], { stdio: "inherit" });
  } catch {
    failed++;
    console.log(`bench/${f} failed`);
  }
}
process.exitCode = failed ? 1 : 0;

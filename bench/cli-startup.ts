// `devenv --help` cold start, against bare `node -e ""` measured in the same run.
// Target: < 200 ms. Run after `npm run build` (it times the shipped dist/ entry).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { median, report, sample } from "./lib.js";

const bin = fileURLToPath(new URL("../bin/devenv.js", import.meta.url));
if (!existsSync(fileURLToPath(new URL("../dist/cli/main.js", import.meta.url)))) {
  console.error("dist/ is missing: run `npm run build` first");
  process.exit(1);
}
const env = { ...process.env, DEVENV_FROM_SOURCE: "0" };
const runs = 15;
const node = median(await sample(runs, () => execFileSync("node", ["-e", ""], { env })));
const help = median(await sample(runs, () => execFileSync("node", [bin, "--help"], { env })));
const version = median(await sample(runs, () => execFileSync("node", [bin, "--version"], { env })));
console.log(`# CLI cold start (median of ${runs})`);
report("devenv --help", help, { name: "node -e ''", value: node }, "< 200 ms");
report("devenv --version", version, { name: "node -e ''", value: node });
console.log(`devenv --help: ${help < 200 ? "meets" : "MISSES"} the 200 ms target (${help.toFixed(0)} ms)`);

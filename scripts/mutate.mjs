// `npm run mutate [-- stryker options]`: runs Stryker (stryker.config.json), then writes the
// mutation score of each module to reports/mutation/scores.md. Not part of CI.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const REPORT = "reports/mutation/mutation.json";
const run = spawnSync("npx", ["stryker", "run", ...process.argv.slice(2)], { stdio: "inherit" });
if (run.status !== 0) process.exit(run.status ?? 1);

const KILLED = new Set(["Killed", "Timeout"]);
const COUNTED = new Set(["Killed", "Timeout", "Survived", "NoCoverage"]);
const report = JSON.parse(readFileSync(REPORT, "utf8"));
const rows = Object.entries(report.files)
  .map(([file, { mutants }]) => {
    const counted = mutants.filter((m) => COUNTED.has(m.status));
    const killed = counted.filter((m) => KILLED.has(m.status)).length;
    const survived = counted.length - killed;
    return { file, killed, survived, score: counted.length ? (100 * killed) / counted.length : 100 };
  })
  .sort((a, b) => a.file.localeCompare(b.file));
const total = rows.reduce((t, r) => ({ killed: t.killed + r.killed, survived: t.survived + r.survived }), { killed: 0, survived: 0 });
const pct = (n) => `${n.toFixed(1)} %`;
const lines = [
  "| module | score | killed | survived or not covered |",
  "| --- | ---: | ---: | ---: |",
  ...rows.map((r) => `| ${r.file} | ${pct(r.score)} | ${r.killed} | ${r.survived} |`),
  `| **all** | **${pct((100 * total.killed) / Math.max(1, total.killed + total.survived))}** | ${total.killed} | ${total.survived} |`,
];
writeFileSync("reports/mutation/scores.md", `${lines.join("\n")}\n`);
console.log(`\n${lines.join("\n")}\n\nwritten to reports/mutation/scores.md (details: reports/mutation/index.html)`);

// `npm run mutate [-- stryker options]`: runs Stryker (stryker.config.json), then writes the
// mutation score of each module to reports/mutation/scores.md. Not part of CI.
// `npm run mutate -- --report-only [mutation.json]` only rewrites scores.md from a finished report.
// Every counted mutant that survived (or was not covered) is listed with its line in survivors.txt.
//
// What counts: Killed and Timeout are caught; Survived and NoCoverage are not. A StringLiteral
// mutant that only changes the text of an error or finding message (the message and hint
// arguments of configError / fileError / DevenvError / InterpolationError / sink.add / sink.ok /
// fail / bad, and `message:`, `hint:`, `summary:`, `reason:` properties) is not counted: it is
// listed in its own column, so the score measures behaviour. Every other mutant counts.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import ts from "typescript";

const args = process.argv.slice(2);
const reportOnly = args[0] === "--report-only";
const REPORT = (reportOnly && args[1]) || "reports/mutation/mutation.json";
const SCORES = "reports/mutation/scores.md";
const EXCLUDED = "reports/mutation/message-mutants.txt";
const SURVIVORS = "reports/mutation/survivors.txt";
if (!reportOnly) {
  const run = spawnSync("npx", ["stryker", "run", ...args], { stdio: "inherit" });
  if (run.status !== 0) process.exit(run.status ?? 1);
}

/** Calls whose arguments at these positions are message text (callee's last name → argument indexes). */
const MESSAGE_ARGS = {
  configError: [0, 2],
  fileError: [0, 4],
  DevenvError: [0],
  InterpolationError: [1],
  Error: [0],
  add: [2], // ctx.sink.add(rule, service, message, { hint })
  ok: [1], // ctx.sink.ok(service, passed-line text)
  fail: [0, 2],
  bad: [0],
};
/** Object properties whose value is message text. */
const MESSAGE_PROPS = new Set(["message", "hint", "summary", "reason"]);

const calleeName = (e) => (ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? e.name.text : undefined);

/** Whether the node at [start, end) sits inside message text. */
function inMessage(sf, start, end) {
  let found;
  const visit = (n) => {
    if (n.getStart(sf) <= start && n.getEnd() >= end) {
      found = n;
      ts.forEachChild(n, visit);
    }
  };
  visit(sf);
  for (let n = found, child; n; child = n, n = n.parent) {
    if (ts.isPropertyAssignment(n) && child === n.initializer && MESSAGE_PROPS.has(n.name.getText(sf))) return true;
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && child && n.arguments?.includes(child)) {
      const name = calleeName(n.expression);
      const positions = name !== undefined && Object.hasOwn(MESSAGE_ARGS, name) ? MESSAGE_ARGS[name] : undefined;
      if (positions?.includes(n.arguments.indexOf(child))) return true;
    }
  }
  return false;
}

const KILLED = new Set(["Killed", "Timeout"]);
const COUNTED = new Set(["Killed", "Timeout", "Survived", "NoCoverage"]);
const report = JSON.parse(readFileSync(REPORT, "utf8"));
const excluded = [];
const survivors = [];
const rows = Object.entries(report.files)
  .map(([file, { source, mutants }]) => {
    const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
    const lineStarts = sf.getLineStarts();
    const offset = (p) => lineStarts[p.line - 1] + p.column - 1;
    const isMessage = (m) => m.mutatorName === "StringLiteral" && inMessage(sf, offset(m.location.start), offset(m.location.end));
    const counted = mutants.filter((m) => COUNTED.has(m.status));
    const messages = counted.filter(isMessage);
    const scored = counted.filter((m) => !messages.includes(m));
    const killed = scored.filter((m) => KILLED.has(m.status)).length;
    for (const m of scored.filter((m) => !KILLED.has(m.status))) {
      const line = source.split("\n")[m.location.start.line - 1].trim();
      survivors.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName} ${JSON.stringify(m.replacement)}\n    ${line.slice(0, 160)}`);
    }
    for (const m of messages) excluded.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.status} ${JSON.stringify(m.replacement)}`);
    return { file, killed, survived: scored.length - killed, messages: messages.length, score: scored.length ? (100 * killed) / scored.length : 100 };
  })
  .sort((a, b) => a.file.localeCompare(b.file));
const total = rows.reduce((t, r) => ({ killed: t.killed + r.killed, survived: t.survived + r.survived, messages: t.messages + r.messages }), { killed: 0, survived: 0, messages: 0 });
const pct = (n) => `${n.toFixed(1)} %`;
const lines = [
  "| module | score | killed | survived or not covered | message-only strings (not counted) |",
  "| --- | ---: | ---: | ---: | ---: |",
  ...rows.map((r) => `| ${r.file} | ${pct(r.score)} | ${r.killed} | ${r.survived} | ${r.messages} |`),
  `| **all** | **${pct((100 * total.killed) / Math.max(1, total.killed + total.survived))}** | ${total.killed} | ${total.survived} | ${total.messages} |`,
];
writeFileSync(SCORES, `${lines.join("\n")}\n`);
writeFileSync(EXCLUDED, `${excluded.join("\n")}\n`);
writeFileSync(SURVIVORS, `${survivors.join("\n")}\n`);
console.log(`\n${lines.join("\n")}\n\nwritten to ${SCORES}; the message-only mutants not counted are listed in ${EXCLUDED}, the counted survivors in ${SURVIVORS} (details: reports/mutation/index.html)`);

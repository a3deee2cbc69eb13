// Renders a CompareResult for the terminal: grouped by service, ✓ equal, ✗ drift (error),
// ! risk (warning), i note (info), then one summary line. Secret values are already `***`.
import type { Style } from "../ui/style.js";
import type { CompareResult } from "./compare.js";
import type { Finding } from "./findings.js";

export function formatReport(r: CompareResult, style: Style, header: string): string {
  const lines = [style.bold(header), ""];
  for (const s of r.services) {
    const live = s.findings.filter((f) => !f.ignored);
    const mark = live.some((f) => f.severity === "error") ? style.red("✗") : live.some((f) => f.severity === "warning") ? style.yellow("!") : style.green("✓");
    lines.push(`${mark} ${style.bold(s.service)}${s.workload ? style.dim(` ↔ ${s.workload}`) : ""}`);
    for (const p of s.passed) lines.push(`    ${style.green("✓")} ${p}`);
    for (const f of live) lines.push(...findingLines(f, style));
    const ignored = s.findings.length - live.length;
    if (ignored) lines.push(style.dim(`    ${ignored} ignored (${[...new Set(s.findings.filter((f) => f.ignored).map((f) => f.rule))].join(", ")})`));
  }
  lines.push("", summaryLine(r, style));
  return lines.join("\n");
}

function findingLines(f: Finding, style: Style): string[] {
  const mark = f.severity === "error" ? style.red("✗") : f.severity === "warning" ? style.yellow("!") : style.cyan("i");
  const lines = [`    ${mark} ${f.message} ${style.dim(`[${f.rule}]`)}`];
  if (f.composeWhere) lines.push(`        ${style.dim(`compose: ${f.composeWhere}`)}`);
  if (f.where) lines.push(`        ${style.dim(`${f.composeWhere ? "k8s:     " : "at "}${f.where}`)}`);
  lines.push(`        ${style.dim(`fix: ${f.hint}`)}`);
  return lines;
}

export function summaryLine(r: CompareResult, style: Style): string {
  const { services, errors, warnings, infos, ignored } = r.summary;
  const counts = `${services} service${services === 1 ? "" : "s"}: ${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}, ${infos} note${infos === 1 ? "" : "s"}${ignored ? `, ${ignored} ignored` : ""}`;
  return r.equivalent ? `${style.green("✓ equivalent")} — ${counts}` : `${style.red("✗ drift found")} — ${counts} (exit 3)`;
}

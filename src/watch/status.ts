// The one status line each reload prints: which image, what happened, to which targets, how
// long from the first change seen to done. Pure.

/** What one reload did. */
export interface ReloadReport {
  image: string;
  kind: "initial" | "sync" | "rebuild" | "none";
  /** Files copied. */
  files: number;
  /** Paths deleted in the targets. */
  deletes: number;
  /** Targets reached (containers / pods), or replaced by a rebuild. */
  targets: string[];
  /** From the first change seen (or the start of the initial sync) to done. */
  ms: number;
  /** Why a rebuild ran. */
  reason?: string;
  /** Failures; the watch keeps running. */
  errors: Error[];
}

export function formatStatus(r: ReloadReport): string {
  const ms = r.ms < 1000 ? `${Math.round(r.ms)} ms` : `${(r.ms / 1000).toFixed(1)} s`;
  const targets = r.targets.length === 0 ? "no running container" : r.targets.length <= 3 ? r.targets.join(", ") : `${r.targets.slice(0, 3).join(", ")} +${r.targets.length - 3} more`;
  const failed = r.errors.length > 0 ? ` (${r.errors.length} error${r.errors.length > 1 ? "s" : ""})` : "";
  const mark = r.errors.length > 0 ? "✗" : "↻";
  if (r.kind === "rebuild") return `${mark} ${r.image}: rebuilt (${r.reason ?? "changed"}) → ${r.targets.length ? `replaced ${targets}` : "nothing to replace"} in ${ms}${failed}`;
  const what = [plural(r.files, "file"), r.deletes ? `${r.deletes} deleted` : ""].filter(Boolean).join(", ");
  return `${mark} ${r.image}: ${r.kind === "initial" ? "initial sync" : "synced"} ${what} → ${targets} in ${ms}${failed}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

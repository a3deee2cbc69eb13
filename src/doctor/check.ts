// A doctor check: ok / warn / fail with a one-line detail and a fix hint.
export type CheckStatus = "ok" | "warn" | "fail";

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  hint?: string;
}

export interface Check {
  id: string;
  title: string;
  run(): Promise<Omit<CheckResult, "id" | "title">>;
}

/** Compares dotted versions: -1, 0, 1. Missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, "").split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.replace(/^v/, "").split(/[.+-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Pulls the first `vX.Y.Z` out of a tool's version output. */
export function parseVersion(output: string): string | undefined {
  return /v?(\d+\.\d+(?:\.\d+)?)/.exec(output)?.[1];
}

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

// compare-compose's building blocks as a user meets them: resource quantities compared by
// value, host names compared by what they resolve to, the report's lines, and secrets that
// never reach the report.
import { describe, expect, it } from "vitest";
import { formatBytes, formatCpus, parseQuantity } from "../../../src/compare/quantity.js";
import { canonicalHosts } from "../../../src/compare/dns.js";
import { formatReport, summaryLine } from "../../../src/compare/report.js";
import { FindingSink, RULES, type Finding } from "../../../src/compare/findings.js";
import type { CompareResult } from "../../../src/compare/compare.js";
import { makeStyle } from "../../../src/ui/style.js";

describe("quantities", () => {
  it.each([
    ["500m", 0.5],
    ["2", 2],
    [" 1.5 ", 1.5],
    ["1k", 1000],
    ["1M", 1e6],
    ["2G", 2e9],
    ["1T", 1e12],
    ["1Ki", 1024],
    ["512Mi", 512 * 1024 ** 2],
    ["1Gi", 1024 ** 3],
    ["1Ti", 1024 ** 4],
    ["1e3", 1000],
    ["1e3m", 1],
  ] as const)("%s is %d", (q, n) => expect(parseQuantity(q)).toBeCloseTo(n, 9));
  it("numbers pass through; malformed text and other types are not quantities", () => {
    expect(parseQuantity(3)).toBe(3);
    for (const bad of ["1Xi", "abc", "-1", "1 Gi", "", "Mi", null, undefined, {}, true]) expect(parseQuantity(bad), String(bad)).toBeUndefined();
  });
  it("bytes print as the largest exact binary unit", () => {
    expect([1024 ** 3, 3 * 1024 ** 3, 1536 * 1024 ** 2, 512 * 1024 ** 2, 1024, 1536, 1000, 0, 512].map(formatBytes)).toEqual(["1Gi", "3Gi", "1536Mi", "512Mi", "1Ki", "1536", "1000", "0", "512"]);
  });
  it("CPUs print as cores or millicores", () => {
    expect([2, 0.5, 0.25, 1.5, 0.001, 0].map(formatCpus)).toEqual(["2", "500m", "250m", "1500m", "1m", "0"]);
  });
});

describe("host names in values", () => {
  const scope = { namespace: "shop", hosts: new Map([["db", "db"], ["pg", "db"], ["cache", "cache"]]) };
  const canon = (v: string) => canonicalHosts(v, scope);
  it("every DNS form of a Service is the same host", () => {
    const full = "db.shop.svc.cluster.local";
    for (const h of ["db", "db.shop", "db.shop.svc", "db.shop.svc.cluster.local"]) expect(canon(h), h).toBe(full);
  });
  it("a compose name that maps to another Service name is rewritten to that Service", () => {
    expect(canon("pg:5432")).toBe("db.shop.svc.cluster.local:5432");
  });
  it("inside URLs, after user:password@, in lists and quotes", () => {
    expect(canon("postgres://u:p@db:5432/app")).toBe("postgres://u:p@db.shop.svc.cluster.local:5432/app");
    expect(canon("redis://cache/0")).toBe("redis://cache.shop.svc.cluster.local/0");
    expect(canon("db,cache")).toBe("db.shop.svc.cluster.local,cache.shop.svc.cluster.local");
    expect(canon('"db"')).toBe('"db.shop.svc.cluster.local"');
    expect(canon("host=db port=5432")).toBe("host=db.shop.svc.cluster.local port=5432");
    expect(canon("x;db;")).toBe("x;db.shop.svc.cluster.local;");
    expect(canon("(db)")).toBe("(db.shop.svc.cluster.local)");
    expect(canon("http://db?x=1")).toBe("http://db.shop.svc.cluster.local?x=1");
  });
  it("a StatefulSet pod behind a headless Service resolves to the Service, in every namespace form", () => {
    expect(canon("db-0.db")).toBe("db.shop.svc.cluster.local");
    expect(canon("db-12.db.shop.svc.cluster.local:5432")).toBe("db.shop.svc.cluster.local:5432");
    expect(canon("db-0.db.shop")).toBe("db.shop.svc.cluster.local");
  });
  it("names that are not Services, another namespace, or a pod name without an ordinal stay as written", () => {
    for (const v of ["example.com", "db.other", "db.other.svc.cluster.local", "dbx", "primary.db", "db-a.db", "a.b.db.shop", "mydb", "api.db.shop.svc"]) expect(canon(v), v).toBe(v);
  });
  it("a Service name inside a longer word is not a host", () => {
    expect(canon("use-db-now")).toBe("use-db-now");
    expect(canon("db_name")).toBe("db_name");
  });
});

const plain = makeStyle(false);
const finding = (over: Partial<Finding>): Finding => ({ rule: "env.value", severity: "error", service: "api", message: "MODE: compose a ≠ k8s b", hint: "make them equal", ...over });
const result = (services: CompareResult["services"], summary: Partial<CompareResult["summary"]> = {}, equivalent = false): CompareResult => ({
  equivalent,
  namespace: "shop",
  services,
  findings: services.flatMap((s) => s.findings),
  summary: { services: services.length, workloads: services.length, errors: 0, warnings: 0, infos: 0, ignored: 0, ...summary },
});

describe("the report", () => {
  it("a finding shows the compose place and the manifest place on their own lines, then the fix", () => {
    const r = result([{ service: "api", workload: "Deployment/api", passed: [], findings: [finding({ composeWhere: "compose.yml:4:9", where: "k8s/api.yaml:20:13" })] }]);
    expect(formatReport(r, plain, "h").split("\n").slice(2, 7)).toEqual([
      "✗ api ↔ Deployment/api",
      "    ✗ MODE: compose a ≠ k8s b [env.value]",
      "        compose: compose.yml:4:9",
      "        k8s:     k8s/api.yaml:20:13",
      "        fix: make them equal",
    ]);
  });
  it("with only the manifest place it says `at`", () => {
    const r = result([{ service: "api", workload: "Deployment/api", passed: [], findings: [finding({ where: "k8s/api.yaml:3" })] }]);
    expect(formatReport(r, plain, "h")).toContain("\n    ✗ MODE: compose a ≠ k8s b [env.value]\n        at k8s/api.yaml:3\n        fix: make them equal");
  });
  it("warnings are !, notes are i; a service with notes only is ✓", () => {
    const r = result([
      { service: "w", workload: "Deployment/w", passed: ["image x"], findings: [finding({ service: "w", severity: "warning", rule: "replicas.mismatch", message: "replicas" })] },
      { service: "n", workload: "Deployment/n", passed: [], findings: [finding({ service: "n", severity: "info", rule: "env.extra", message: "only in k8s: X" })] },
    ]);
    const lines = formatReport(r, plain, "h").split("\n");
    expect(lines).toContain("! w ↔ Deployment/w");
    expect(lines).toContain("    ✓ image x");
    expect(lines).toContain("    ! replicas [replicas.mismatch]");
    expect(lines).toContain("✓ n ↔ Deployment/n");
    expect(lines).toContain("    i only in k8s: X [env.extra]");
  });
  it("an ignored error does not mark the service, is not shown, and is counted once per rule", () => {
    const r = result([{ service: "api", workload: "Deployment/api", passed: [], findings: [finding({ ignored: true }), finding({ ignored: true, message: "other" }), finding({ rule: "env.extra", severity: "info", ignored: true })] }]);
    const out = formatReport(r, plain, "h");
    expect(out).toContain("✓ api ↔ Deployment/api\n    3 ignored (env.value, env.extra)\n");
    expect(out).not.toContain("MODE");
  });
  it("a service without a workload has no ↔ part", () => {
    const r = result([{ service: "gone", passed: [], findings: [finding({ service: "gone", rule: "service.missing", message: 'service "gone" has no workload' })] }]);
    expect(formatReport(r, plain, "h").split("\n")[2]).toBe("✗ gone");
  });
  it("the summary counts in the singular and the plural", () => {
    expect(summaryLine(result([], { services: 1, errors: 1, warnings: 1, infos: 1 }), plain)).toBe("✗ drift found — 1 service: 1 error, 1 warning, 1 note (exit 3)");
    expect(summaryLine(result([], { services: 2, errors: 2, warnings: 3, infos: 0, ignored: 4 }), plain)).toBe("✗ drift found — 2 services: 2 errors, 3 warnings, 0 notes, 4 ignored (exit 3)");
    expect(summaryLine(result([], { services: 0 }, true), plain)).toBe("✓ equivalent — 0 services: 0 errors, 0 warnings, 0 notes");
  });
  it("in colour: ✗ red, ! yellow, i cyan, the rule dim, the header bold", () => {
    const r = result([
      { service: "e", workload: "Deployment/e", passed: [], findings: [finding({ service: "e" })] },
      { service: "w", workload: "Deployment/w", passed: [], findings: [finding({ service: "w", severity: "warning" })] },
      { service: "i", workload: "Deployment/i", passed: [], findings: [finding({ service: "i", severity: "info" })] },
    ]);
    const out = formatReport(r, makeStyle(true), "head");
    expect(out.startsWith("\x1b[1mhead\x1b[22m")).toBe(true);
    expect(out).toContain("\x1b[31m✗\x1b[39m \x1b[1me\x1b[22m");
    expect(out).toContain("\x1b[33m!\x1b[39m \x1b[1mw\x1b[22m");
    expect(out).toContain("    \x1b[36mi\x1b[39m MODE");
    expect(out).toContain("\x1b[2m[env.value]\x1b[22m");
    expect(summaryLine(r, makeStyle(true))).toContain("\x1b[31m✗ drift found\x1b[39m");
    expect(summaryLine({ ...r, equivalent: true }, makeStyle(true))).toContain("\x1b[32m✓ equivalent\x1b[39m");
  });
});

describe("FindingSink: nothing secret reaches a finding", () => {
  it("a remembered secret value is masked in message, compose and k8s values and passed lines, longest first", () => {
    const sink = new FindingSink();
    sink.addSecretValue("hunter2-long-Secret");
    sink.addSecretValue("hunter2-long");
    sink.add("env.value", "api", "PASSWORD: hunter2-long-Secret vs hunter2-long", { compose: "hunter2-long-Secret", k8s: "x hunter2-long" });
    sink.ok("api", "env: hunter2-long equal");
    expect(sink.findings[0]).toMatchObject({ message: "PASSWORD: *** vs ***", compose: "***", k8s: "x ***" });
    expect(sink.passed.get("api")).toEqual(["env: *** equal"]);
  });
  it("a value with quotes is also masked in its JSON-escaped form", () => {
    const sink = new FindingSink();
    sink.addSecretValue('pa"ss-Word-123');
    sink.add("command.mismatch", "api", 'args ["pa\\"ss-Word-123"]');
    expect(sink.findings[0]!.message).toBe('args ["***"]');
  });
  it("short or flag-like values are not remembered (they would mask ordinary words)", () => {
    const sink = new FindingSink();
    for (const v of ["ab", "true", null, undefined]) sink.addSecretValue(v);
    sink.add("env.value", "api", "ab true");
    expect(sink.findings[0]!.message).toBe("ab true");
  });
  it("severity and hint come from the rule unless given", () => {
    const sink = new FindingSink();
    sink.add("image.mismatch", "api", "m");
    sink.add("image.mismatch", "web", "m", { severity: "warning", hint: "h" });
    expect(sink.findings.map((f) => [f.severity, f.hint])).toEqual([["error", RULES["image.mismatch"].hint], ["warning", "h"]]);
  });
  it("passed lines of several services stay apart, in order", () => {
    const sink = new FindingSink();
    sink.ok("a", "one");
    sink.ok("b", "x");
    sink.ok("a", "two");
    expect([...sink.passed]).toEqual([["a", ["one", "two"]], ["b", ["x"]]]);
  });
});

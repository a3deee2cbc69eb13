// Unsafe devenv.ts values (issue 16): sync targets that would delete system directories, a
// manifest listed twice, unknown compare rule ids, a registry name that reaches a shell, seed
// service names that would read as flags. Each: exit 2, what and where, no stack trace; and
// several problems are all reported, not only the first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnv } from "../../../src/config/load.js";
import { DevenvError } from "../../../src/errors/devenv-error.js";
import { formatError } from "../../../src/errors/report.js";
import { makeStyle } from "../../../src/ui/style.js";
import { badSyncTarget } from "../../../src/config/validate.js";
import { isIgnorableRule } from "../../../src/config/compare-rules.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "devenv-config-safety-"));
  mkdirSync(join(dir, "svc"));
  writeFileSync(join(dir, "svc", "Dockerfile"), "FROM scratch\n");
  mkdirSync(join(dir, "k8s"));
  writeFileSync(join(dir, "k8s", "a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n");
  mkdirSync(join(dir, "seed"));
  writeFileSync(join(dir, "seed", "s.sql"), "select 1;\n");
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const img = (to: string) => `  images: { api: { image: "demo/api", context: "svc", sync: [{ from: "src", to: ${JSON.stringify(to)} }] } },`;

const cases: [string, string, RegExp, RegExp][] = [
  ["sync to /", img("/"), /images\.api\.sync\[0\]\.to "\/" is the container's root/, /:3:\d+ \(images\.api\.sync\.0\.to\)/],
  ["sync to /etc", img("/etc"), /images\.api\.sync\[0\]\.to "\/etc" is the system directory \/etc/, /\(images\.api\.sync\.0\.to\)/],
  ["sync to /usr/", img("/usr/"), /is the system directory \/usr/, /\(images\.api\.sync\.0\.to\)/],
  ["sync to //var", img("//var"), /is the system directory \/var/, /\(images\.api\.sync\.0\.to\)/],
  ["sync escaping with ..", img("/app/../../etc"), /"\/app\/\.\.\/\.\.\/etc" contains "\.\." \(it normalises to \/etc/, /\(images\.api\.sync\.0\.to\)/],
  ["sync with a harmless ..", img("/app/x/../y"), /contains "\.\."/, /\(images\.api\.sync\.0\.to\)/],
  ["the same manifest twice", `  manifests: { files: ["k8s/a.yaml", "./k8s/a.yaml"] },`, /manifests\.files\[1\] and manifests\.files\[0\] are the same file \(\.\/k8s\/a\.yaml\)/, /\(manifests\.files\.1\)/],
  ["unknown compare.ignore rule", `  compare: { ignore: ["env.extra", "env.valeu"] },`, /compare\.ignore\[1\] "env\.valeu" is not a compare-compose rule/, /\(compare\.ignore\.1\)/],
  ["unknown compare.ignoreFor rule", `  compare: { ignoreFor: { api: ["health.mismatch", "heath"] } },`, /compare\.ignoreFor\.api\[1\] "heath" is not a compare-compose rule/, /\(compare\.ignoreFor\.api\.1\)/],
  ["registry name with shell characters", `  cluster: { registry: { name: "reg'; rm -rf /; '" } },`, /cluster\.registry\.name "reg'; rm -rf \/; '" is not a DNS label/, /\(cluster\.registry\.name\)/],
  ["registry name with capitals", `  cluster: { registry: { name: "My_Registry" } },`, /is not a DNS label/, /\(cluster\.registry\.name\)/],
  ["migrate service starting with -", `  seeds: { postgres: { app: { database: "app", sql: "seed/s.sql", target: { compose: "db" }, migrate: { compose: "--rm" } } } },`, /seeds\.postgres\.app\.migrate\.compose "--rm" is not a compose service name/, /\(seeds\.postgres\.app\.migrate\.compose\)/],
  ["migrate service with a space", `  seeds: { postgres: { app: { database: "app", sql: "seed/s.sql", target: { compose: "db" }, migrate: { compose: "mig rate" } } } },`, /"mig rate" is not a compose service name/, /\(seeds\.postgres\.app\.migrate\.compose\)/],
];

describe("unsafe devenv.ts values", () => {
  it.each(cases)("%s → exit 2 with what and where, no stack trace", async (_label, body, message, where) => {
    const e = await loadBody(body);
    expect(e.message).toMatch(message);
    expect(e.where ?? "").toMatch(where);
    expect(e.hint).toBeTruthy();
    expect(e.exitCode).toBe(2);
    const printed = formatError(e, makeStyle(false), false);
    expect(printed).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
    expect(printed).not.toMatch(/DevenvError:/);
  });

  it("reports every problem, not only the first", async () => {
    const e = await loadBody(
      [
        `  cluster: { registry: { name: "bad name" } },`,
        img("/etc"),
        `  manifests: { files: ["k8s/a.yaml", "k8s/a.yaml"] },`,
        `  seeds: { postgres: { app: { database: "app", sql: "seed/s.sql", target: { compose: "db" }, migrate: { compose: "-x" } } } },`,
        `  compare: { ignore: ["nope"] },`,
      ].join("\n"),
    );
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/cluster\.registry\.name "bad name" is not a DNS label \(and 4 more problems, below\)/);
    expect(e.where).toMatch(/:3:\d+ \(cluster\.registry\.name\)/);
    const details = e.details ?? "";
    const lines = details.split("\n").filter((l) => !l.startsWith("  "));
    expect(lines).toEqual([
      expect.stringMatching(/^images\.api\.sync\[0\]\.to "\/etc" is the system directory \/etc/),
      expect.stringMatching(/^manifests\.files\[1\] and manifests\.files\[0\] are the same file/),
      expect.stringMatching(/^seeds\.postgres\.app\.migrate\.compose "-x" is not a compose service name/),
      expect.stringMatching(/^compare\.ignore\[0\] "nope" is not a compare-compose rule/),
    ]);
    expect(details).toMatch(/at .*:4:\d+ \(images\.api\.sync\.0\.to\)/);
    expect(details).toMatch(/at .*:5:\d+ \(manifests\.files\.1\)/);
    expect(details).toMatch(/at .*:6:\d+ \(seeds\.postgres\.app\.migrate\.compose\)/);
    expect(details).toMatch(/at .*:7:\d+ \(compare\.ignore\.0\)/);
    expect(details.match(/hint: /g)).toHaveLength(4);
    const printed = formatError(e, makeStyle(false), false);
    expect(printed).toContain("compare.ignore[0]");
    expect(printed).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  });

  it("accepts safe values", async () => {
    await expect(
      loadEnv(
        write(`export default {\n  name: "demo",\n${img("/app/src")}\n  cluster: { registry: { name: "my-registry" } },\n  compare: { ignore: ["env.extra", "health", "env.REDIS_PASSWORD"], ignoreFor: { api: ["env.missing"] } },\n  seeds: { postgres: { app: { database: "app", sql: "seed/s.sql", target: { compose: "db" }, migrate: { compose: "migrate_1.x" } } } },\n};\n`),
        dir,
      ),
    ).resolves.toBeTruthy();
  });
});

describe("pure checks", () => {
  it.each(["/", "/etc", "/etc/", "/usr", "/bin", "/lib", "/sbin", "/var", "/proc", "/sys", "/dev", "/boot", "/root", "/app/../../etc", "/app/..", "//etc"])("sync.to %s is refused", (to) => {
    expect(badSyncTarget(to)).toBeTruthy();
  });
  it.each(["/app", "/app/src", "/etc/nginx/conf.d", "/usr/src/app", "/var/www", "/srv"])("sync.to %s is fine", (to) => {
    expect(badSyncTarget(to)).toBeUndefined();
  });
  it.each([["env.extra", true], ["env", true], ["health", true], ["env.POSTGRES_PASSWORD", true], ["env.valeu", false], ["nope", false], ["health.mismatched", false], ["", false]] as const)("rule %j → %s", (id, ok) => {
    expect(isIgnorableRule(id)).toBe(ok);
  });
});

function write(text: string): string {
  const file = join(dir, `raw-${++n}.ts`);
  writeFileSync(file, text);
  return file;
}

async function loadBody(body: string): Promise<DevenvError> {
  const file = write(`export default {\n  name: "demo",\n${body}\n};\n`);
  try {
    await loadEnv(file, dir);
  } catch (e) {
    expect(e).toBeInstanceOf(DevenvError);
    return e as DevenvError;
  }
  throw new Error("expected the config to be rejected");
}

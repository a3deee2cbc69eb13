// `devenv convert` never writes a secret value into the YAML that gets committed: env values,
// command arguments and probe commands holding secrets take them from the generated Secret,
// whose values live in a git-ignored env file (issue 16).
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { convertProject } from "../../../src/convert/convert.js";
import { renderBase, writeBase } from "../../../src/convert/write.js";
import { writeFiles } from "../compose/write-files.js";

const V = "s3cr3t-MARKER-7f3a";
const compose = `services:
  redis:
    image: redis:7
    command: ["redis-server", "--requirepass", "\${REDIS_PASSWORD}", "--appendonly", "yes"]
    environment:
      REDIS_PASSWORD: \${REDIS_PASSWORD}
      ALLOW_EMPTY_PASSWORD: "no"
    healthcheck:
      test: ["CMD", "redis-cli", "-a", "\${REDIS_PASSWORD}", "ping"]
  cache:
    image: redis:7
    command: redis-server --requirepass other-${V}
    healthcheck:
      test: ["CMD-SHELL", "redis-cli -a other-${V} ping || exit 1"]
  api:
    image: shop/api
    command: ["node", "server.js", "--db", "postgres://app:${V}@db/app", "--cache", "redis://:other2-${V}@cache:6379/0"]
    environment:
      DATABASE_URL: postgres://app:${V}@db/app
      LOG_LEVEL: info
`;

function convert() {
  const dir = writeFiles({ "compose.yml": compose, ".env": `REDIS_PASSWORD=${V}\n` });
  const project = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });
  const converted = convertProject(project, { namespace: "shop" });
  return { dir, project, converted, files: renderBase(converted, "shop") };
}

describe("convert keeps secrets out of the committed YAML", () => {
  it("no YAML file holds the value; the git-ignored env files do", () => {
    const { files } = convert();
    const yaml = [...files].filter(([n]) => !n.endsWith(".env"));
    for (const [name, text] of yaml) expect(text, name).not.toContain("MARKER");
    const envs = [...files].filter(([n]) => n.endsWith(".env"));
    expect(envs.map(([n]) => n).sort()).toEqual(["api-secret.env", "cache-secret.env", "redis-secret.env"]);
    expect(files.get(".gitignore")).toMatch(/^\*\.env$/m);
    const kustomization = parseAllDocuments(files.get("kustomization.yaml")!)[0]!.toJS();
    expect(kustomization.secretGenerator).toEqual(expect.arrayContaining([expect.objectContaining({ name: "redis-secret", envs: ["redis-secret.env"] })]));
    expect(files.get("redis-secret.env")).toBe(`REDIS_PASSWORD=${V}\n`);
    expect(files.get("cache-secret.env")).toBe(`CACHE_SECRET_1=other-${V}\n`);
  });

  it("command args and probes refer to the Secret's variables", () => {
    const { converted } = convert();
    const container = (svc: string) => (converted.files.get(`${svc}.yaml`)![0]!.spec as any).template.spec.containers[0];
    expect(container("redis").args).toEqual(["redis-server", "--requirepass", "$(REDIS_PASSWORD)", "--appendonly", "yes"]);
    expect(container("redis").readinessProbe.exec.command).toEqual(["sh", "-c", "redis-cli -a \"${REDIS_PASSWORD}\" ping"]);
    expect(container("redis").envFrom).toEqual([{ configMapRef: { name: "redis-config" } }, { secretRef: { name: "redis-secret" } }]);
    expect(container("cache").args).toEqual(["redis-server", "--requirepass", "$(CACHE_SECRET_1)"]);
    expect(container("cache").readinessProbe.exec.command).toEqual(["sh", "-c", "redis-cli -a ${CACHE_SECRET_1} ping || exit 1"]);
    expect(container("cache").envFrom).toEqual([{ secretRef: { name: "cache-secret" } }]);
    expect(container("api").args).toEqual(["node", "server.js", "--db", "$(DATABASE_URL)", "--cache", "redis://:$(API_SECRET_1)@cache:6379/0"]);
    const apiSecret = converted.files.get("api.yaml")!.find((o) => o.kind === "Secret")!;
    expect(apiSecret.stringData).toEqual({ DATABASE_URL: `postgres://app:${V}@db/app`, API_SECRET_1: `other2-${V}` });
    const redisConfig = converted.files.get("redis.yaml")!.find((o) => o.kind === "ConfigMap")!;
    expect(redisConfig.data).toEqual({ ALLOW_EMPTY_PASSWORD: "no" });
  });

  it("still compares equal to the compose setup, and writes the env files 0600", () => {
    const { project, converted, files, dir } = convert();
    const result = compareStacks(project, [...converted.files.values()].flat(), { order: converted.order, ignore: ["env.unreachable-host"] }); // `db` is in neither (on purpose: only secrets matter here)
    expect(result.findings.filter((f) => !f.ignored && f.severity !== "info").map((f) => `${f.rule} ${f.service}: ${f.message}`)).toEqual([]);
    const out = join(dir, "k8s");
    writeBase(out, files);
    for (const name of readdirSync(out)) {
      const text = readFileSync(join(out, name), "utf8");
      if (name.endsWith(".env")) expect(statSync(join(out, name)).mode & 0o777).toBe(0o600);
      else expect(text, name).not.toContain("MARKER");
    }
  });
});

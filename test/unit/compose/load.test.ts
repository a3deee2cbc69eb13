import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { writeFiles } from "./write-files.js";

const base = `
name: shop
x-common: &common
  restart: unless-stopped
  environment:
    LOG_LEVEL: info
services:
  api:
    <<: *common
    build: ./api
    command: uvicorn app:main --port "8000"
    environment:
      - DATABASE_URL=postgres://\${PG_USER:-app}:\${PG_PASSWORD}@db:5432/app
      - BARE
    env_file: api.env
    ports: ["8000:8000", "127.0.0.1:9000-9001:9000-9001/udp", 7000]
    expose: ["7001"]
    volumes: [data:/data, ./src:/app/src:ro]
    depends_on:
      db: { condition: service_healthy }
      migrate: { condition: service_completed_successfully }
    healthcheck:
      test: curl -f http://localhost:8000/health
      interval: 1m30s
      timeout: 5s
      retries: 3
    deploy:
      replicas: 2
      resources: { limits: { cpus: "0.5", memory: 512m }, reservations: { memory: 128M } }
  migrate:
    image: shop/api:dev
    entrypoint: ["alembic"]
    command: [upgrade, head]
    restart: "no"
  db:
    image: postgres:16
    environment: { POSTGRES_PASSWORD: "\${PG_PASSWORD:?set PG_PASSWORD in .env}", POSTGRES_DB: app }
    volumes:
      - type: volume
        source: pgdata
        target: /var/lib/postgresql/data
  debug:
    image: busybox
    profiles: [debug]
volumes:
  data: {}
  pgdata: { external: true }
`;

const override = `
services:
  api:
    command: ["python", "-m", "app"]
    environment: { LOG_LEVEL: debug, EXTRA: "1" }
    ports: ["8001:8000"]
    volumes: ["./other:/app/src"]
    deploy: { replicas: 3 }
`;

function load(extra: Record<string, string> = {}, opts: { files?: string[]; env?: Record<string, string>; profiles?: string[] } = {}) {
  const dir = writeFiles({ "compose.yml": base, "compose.override.yml": override, ".env": "PG_PASSWORD=s3cret\nBARE=from-dotenv\n", "api.env": "FROM_FILE=1\nLOG_LEVEL=file\n", ...extra });
  return { dir, project: loadCompose({ files: opts.files ?? ["compose.yml", "compose.override.yml"], cwd: dir, env: opts.env ?? {}, profiles: opts.profiles }) };
}

describe("loadCompose", () => {
  it("merges files in order with override semantics", () => {
    const { dir, project } = load();
    const api = project.services.api!;
    expect(project.name).toBe("shop");
    expect(api.command).toEqual(["python", "-m", "app"]);
    expect(api.environment).toEqual({
      FROM_FILE: "1",
      LOG_LEVEL: "debug",
      DATABASE_URL: "postgres://app:s3cret@db:5432/app",
      BARE: "from-dotenv",
      EXTRA: "1",
    });
    expect(api.ports).toEqual([
      { target: 8000, published: "8000", protocol: "tcp" },
      { target: 9000, published: "9000", hostIp: "127.0.0.1", protocol: "udp" },
      { target: 9001, published: "9001", hostIp: "127.0.0.1", protocol: "udp" },
      { target: 7000, protocol: "tcp" },
      { target: 8000, published: "8001", protocol: "tcp" },
    ]);
    expect(api.expose).toEqual([7001]);
    expect(api.volumes).toEqual([
      { type: "volume", source: "data", target: "/data", readOnly: false },
      { type: "bind", source: join(dir, "other"), target: "/app/src", readOnly: false },
    ]);
    expect(api.replicas).toBe(3);
    expect(api.restart).toBe("unless-stopped");
    expect(api.build).toEqual({ context: join(dir, "api"), dockerfile: "Dockerfile", args: {} });
  });

  it("expands long forms: depends_on, healthcheck, resources, entrypoint", () => {
    const { project } = load();
    const api = project.services.api!;
    expect(api.dependsOn).toEqual({
      db: { condition: "service_healthy", required: true, restart: false },
      migrate: { condition: "service_completed_successfully", required: true, restart: false },
    });
    expect(api.healthcheck).toEqual({ test: ["CMD-SHELL", "curl -f http://localhost:8000/health"], intervalMs: 90_000, timeoutMs: 5000, retries: 3, startPeriodMs: undefined, disabled: false });
    expect(api.resources).toEqual({ limits: { cpus: 0.5, memoryBytes: 512 * 1024 ** 2 }, reservations: { cpus: undefined, memoryBytes: 128 * 1024 ** 2 } });
    expect(project.services.migrate!.entrypoint).toEqual(["alembic"]);
    expect(project.services.migrate!.restart).toBe("no");
    expect(project.services.db!.volumes[0]).toEqual({ type: "volume", source: "pgdata", target: "/var/lib/postgresql/data", readOnly: false });
    expect(project.volumes.pgdata!.external).toBe(true);
  });

  it("applies profiles", () => {
    expect(load().project.disabled).toEqual(["debug"]);
    expect(Object.keys(load({}, { profiles: ["debug"] }).project.services)).toContain("debug");
  });

  it("lets the shell environment win over .env", () => {
    const { project } = load({}, { env: { PG_PASSWORD: "shell" } });
    expect(project.services.db!.environment.POSTGRES_PASSWORD).toBe("shell");
  });

  it("resolves extends from the same file and from another file", () => {
    const { dir, project } = load({
      "ext.yml": `services:\n  web:\n    extends: { file: common/base.yml, service: basic }\n    environment: [OWN=1]\n  web2:\n    extends: web\n    image: other\n`,
      "common/base.yml": `services:\n  basic:\n    image: nginx:1.27\n    volumes: [./html:/usr/share/nginx/html]\n    environment: { BASE: "1", OWN: "0" }\n`,
    }, { files: ["ext.yml"] });
    expect(project.services.web!.image).toBe("nginx:1.27");
    expect(project.services.web!.environment).toEqual({ BASE: "1", OWN: "1" });
    expect(project.services.web!.volumes[0]!.source).toBe(join(dir, "common", "html"));
    expect(project.services.web2!.image).toBe("other");
    expect(project.services.web2!.environment.OWN).toBe("1");
  });
});

describe("loadCompose errors (exit 2, with a position)", () => {
  it("malformed YAML names file:line:col", () => {
    const dir = writeFiles({ "bad.yml": "services:\n  api:\n    image: x\n   ports: [1\n" });
    expect(() => loadCompose({ files: ["bad.yml"], cwd: dir, env: {} })).toThrow(expect.objectContaining({ exitCode: 2, where: expect.stringMatching(/bad\.yml:\d+:\d+$/) }));
  });

  it("a missing file", () => {
    expect(() => loadCompose({ files: ["nope.yml"], cwd: "/tmp", env: {} })).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/compose file not found: .*nope\.yml/) }));
  });

  it(":? names the variable, the file and the line", () => {
    const dir = writeFiles({ "c.yml": "services:\n  db:\n    image: postgres\n    environment:\n      P: ${PG_PASSWORD:?set PG_PASSWORD in .env}\n" });
    expect(() => loadCompose({ files: ["c.yml"], cwd: dir, env: {} })).toThrow(
      expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/variable PG_PASSWORD: set PG_PASSWORD in \.env \(in .*c\.yml\)/), where: expect.stringMatching(/c\.yml:5:10$/) }),
    );
  });

  it("an unknown depends_on target and a service without image", () => {
    const a = writeFiles({ "c.yml": "services:\n  a:\n    image: x\n    depends_on: [b]\n" });
    expect(() => loadCompose({ files: ["c.yml"], cwd: a, env: {} })).toThrow(/depends on "b", which is not defined/);
    const b = writeFiles({ "c.yml": "services:\n  a:\n    command: x\n" });
    expect(() => loadCompose({ files: ["c.yml"], cwd: b, env: {} })).toThrow(/neither image nor build/);
  });
});

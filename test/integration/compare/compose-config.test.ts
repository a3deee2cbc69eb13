// Honesty of the compose reader (issue 13): loadCompose must read what `docker-compose config`
// reads. docker-compose v1 (`docker-compose`) or v2 (`docker compose`) normalizes each fixture;
// the fields compare-compose and convert use must be equal. Known differences, by design:
// a `command:` string is split like a shell would split it (compose keeps the string), and
// `name:` / `include:` are Compose v2 features v1 rejects (their fixtures are checked by
// test/unit/compare/issue13.test.ts instead).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadCompose } from "../../../src/compose/load.js";

const root = fileURLToPath(new URL("../../fixtures/compare/issue13", import.meta.url));
const FIXTURES = ["compose-config", "multi-container", "matching", "image-tags", "service-ports", "reach", "k8s-input/runonce", "health-self", "agent"];

function composeBin(): string[] | undefined {
  for (const cmd of [["docker-compose"], ["docker", "compose"]]) {
    try {
      execFileSync(cmd[0]!, [...cmd.slice(1), "version"], { stdio: "ignore" });
      return cmd;
    } catch {
      // not installed
    }
  }
  return undefined;
}
const bin = composeBin();
// Never a silent skip: say why, and fail where the compose tool must be there (CI installs it).
if (!bin) {
  const why = "neither docker-compose nor `docker compose` is installed: the reader cross-check is skipped";
  if (process.env.CI || process.env.DEVENV_REQUIRE_DOCKER === "1") throw new Error(`${why} (CI installs docker-compose; see .ci/run)`);
  console.warn(`[skip] ${why}`);
}

type Raw = Record<string, any>;
const env = (e: unknown): Record<string, string> => Object.fromEntries(Object.entries((e ?? {}) as Record<string, unknown>).map(([k, v]) => [k, v === null ? "" : String(v)]));
const hc = (t: unknown): string[] => (typeof t === "string" ? ["CMD-SHELL", t] : ((t as string[] | undefined) ?? []).map(String));

describe.skipIf(!bin)("loadCompose ↔ docker-compose config", () => {
  for (const name of FIXTURES) {
    it(name, () => {
      const dir = `${root}/${name}`;
      const out = execFileSync(bin![0]!, [...bin!.slice(1), "-f", "compose.yml", "config"], { cwd: dir, encoding: "utf8", env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" } });
      const theirs = parse(out).services as Record<string, Raw>;
      const ours = loadCompose({ files: ["compose.yml"], cwd: dir, env: {} }).services;
      expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
      for (const [n, t] of Object.entries(theirs)) {
        const o = ours[n]!;
        expect({ n, image: o.image }).toEqual({ n, image: t.image });
        expect({ n, env: Object.fromEntries(Object.entries(o.environment).map(([k, v]) => [k, v ?? ""])) }).toEqual({ n, env: env(t.environment) });
        // v1 prints a port with a host IP in its short form (`127.0.0.1:8000:8000/tcp`).
        const ports = (t.ports ?? []).map((p: Raw | string) => (typeof p === "string" ? p : `${p.host_ip ? `${p.host_ip}:` : ""}${p.published ?? ""}:${p.target}/${p.protocol ?? "tcp"}`)).sort();
        expect({ n, ports: o.ports.map((p) => `${p.hostIp ? `${p.hostIp}:` : ""}${p.published ?? ""}:${p.target}/${p.protocol}`).sort() }).toEqual({ n, ports });
        expect({ n, expose: o.expose }).toEqual({ n, expose: (t.expose ?? []).map(Number) });
        expect({ n, command: o.command, entrypoint: o.entrypoint }).toEqual({ n, command: t.command, entrypoint: t.entrypoint });
        expect({ n, restart: o.restart }).toEqual({ n, restart: t.restart });
        expect({ n, deps: Object.fromEntries(Object.entries(o.dependsOn).map(([k, d]) => [k, d.condition])) }).toEqual({ n, deps: Array.isArray(t.depends_on) ? Object.fromEntries(t.depends_on.map((d: string) => [d, "service_started"])) : Object.fromEntries(Object.entries((t.depends_on ?? {}) as Record<string, Raw>).map(([k, d]) => [k, d.condition])) });
        expect({ n, health: o.healthcheck?.test ?? [] }).toEqual({ n, health: hc(t.healthcheck?.test) });
        // v1 prints short-syntax volumes as strings (`src:target:mode`, or a lone target: anonymous).
        const vols = (t.volumes ?? []).map((v: Raw | string) => {
          if (typeof v !== "string") return `${v.type}:${v.source ?? ""}:${v.target}`;
          const [a, b] = v.split(":");
          return b === undefined ? `volume::${a}` : `${a!.startsWith("/") || a!.startsWith(".") ? "bind" : "volume"}:${a}:${b}`;
        });
        expect({ n, vols: o.volumes.map((v) => `${v.type}:${v.source ?? ""}:${v.target}`) }).toEqual({ n, vols });
        expect({ n, labels: o.labels }).toEqual({ n, labels: t.labels ?? {} });
      }
    });
  }
});

// Pure parts of the compose target's everyday commands: status from containers, the ports doctor
// checks, the port named in compose's bind error, the volumes of disabled profiles, and which old
// content tags down/reset remove.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { conflictingPort, unusedVolumes, type ServiceState } from "../../../src/compose/run.js";
import { composeStatusOf, formatComposeStatus } from "../../../src/compose/status.js";
import { composePortVerdict, publishedPorts } from "../../../src/doctor/compose-port-checks.js";
import { planTagPrune } from "../../../src/images/prune.js";
import { makeStyle } from "../../../src/ui/style.js";

const dir = mkdtempSync(join(tmpdir(), "devenv-cstatus-unit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, "compose.yaml"),
  `services:
  web:
    image: web
    ports: ["127.0.0.1:8080:80", "9000-9001:9000-9001", "127.0.0.1::81", "5353:53/udp"]
    volumes: ["webdata:/d"]
  migrate:
    image: web
    restart: "no"
  extra:
    image: extra
    profiles: [extra]
    volumes: ["extradata:/x"]
volumes:
  webdata: {}
  extradata: {}
  shared: { external: true }
`,
);
const project = loadCompose({ files: ["compose.yaml"], cwd: dir, env: {} });
const st = (p: Partial<ServiceState>): ServiceState => ({ service: "web", image: "web", state: "running", exitCode: 0, ports: [], ...p });

describe("compose status", () => {
  it("one row per declared service, a leftover container last; URLs of running TCP ports", () => {
    const s = composeStatusOf(project, "p", [
      st({ health: "healthy", ports: [{ host: 8080, container: "80/tcp" }, { host: 5353, container: "53/udp" }] }),
      st({ service: "migrate", state: "exited", exitCode: 0 }),
      st({ service: "old", state: "exited", exitCode: 1 }),
    ]);
    expect(s.services.map((x) => [x.service, x.state, x.detail])).toEqual([
      ["web", "ready", "running (healthy)"],
      ["migrate", "done", "exited, exit code 0"],
      ["old", "failed", "exited, exit code 1"],
    ]);
    expect(s.urls).toEqual(["http://localhost:8080 (web)"]);
    const lines = formatComposeStatus(s, makeStyle(false));
    expect(lines[1]).toBe("  ✓ web      ready: running (healthy) (1/1 running)  ports 8080->80/tcp, 5353->53/udp");
    expect(lines[3]).toMatch(/✗ old +failed: .*not in the compose files/);
  });
  it("no containers: every service stopped, and how to start them", () => {
    const s = composeStatusOf(project, "p", []);
    expect(s.services.map((x) => x.state)).toEqual(["stopped", "stopped"]);
    expect(formatComposeStatus(s, makeStyle(false))[1]).toBe("  nothing running: run `devenv up --target compose`");
  });
});

describe("compose ports", () => {
  it("doctor checks the fixed host ports of enabled services (ranges expanded)", () => {
    expect(publishedPorts(project).map((p) => [p.service, p.port, p.protocol])).toEqual([
      ["web", 8080, "tcp"],
      ["web", 9000, "tcp"],
      ["web", 9001, "tcp"],
      ["web", 5353, "udp"],
    ]);
  });
  it("a port held by the stack's own container is fine; by anything else, named with the service", () => {
    const p = publishedPorts(project)[0]!;
    expect(composePortVerdict(p, true, undefined, "p").status).toBe("ok");
    expect(composePortVerdict(p, false, "container p-web-1", "p")).toMatchObject({ status: "ok" });
    expect(composePortVerdict(p, false, "container p_web_1", "p")).toMatchObject({ status: "ok" });
    expect(composePortVerdict(p, false, "nginx", "p")).toMatchObject({ status: "warn", detail: expect.stringMatching(/^in use by nginx: compose service web publishes it/), hint: expect.stringMatching(/^stop nginx/) });
  });
  it("reads the port from compose v1 and v2 bind errors", () => {
    expect(conflictingPort("Error starting userland proxy: listen tcp4 127.0.0.1:18093: bind: address already in use")).toBe(18093);
    expect(conflictingPort("Bind for 0.0.0.0:8080 failed: port is already allocated")).toBe(8080);
    expect(conflictingPort("Bind for [::]:443 failed: port is already allocated")).toBe(443);
    expect(conflictingPort("no such image")).toBeUndefined();
  });
});

it("the volumes only a disabled profile's service mounts are unused (external ones are never touched)", () => {
  expect(unusedVolumes(project)).toEqual(["extradata"]);
});

describe("content tag pruning", () => {
  const img = (id: string, created: number, ...tags: string[]) => ({ Id: id, Created: created, RepoTags: tags });
  const images = [
    img("i1", 1, "r/app:devenv-111111111111"),
    img("i2", 2, "r/app:devenv-222222222222"),
    img("i3", 3, "r/app:devenv-333333333333", "r/app:latest"),
    img("i4", 4, "r/app:devenv-444444444444"),
    img("i5", 5, "r/app:devenv-555555555555"),
    img("o1", 1, "other:devenv-111111111111"),
  ];
  it("keeps the newest few per repository and any a container uses; leaves other repositories and tags alone", () => {
    const p = planTagPrune(images, ["r/app"], new Set(["i1"]), 3);
    expect(p.kept).toEqual(["r/app:devenv-555555555555", "r/app:devenv-444444444444", "r/app:devenv-333333333333"]);
    expect(p.remove).toEqual(["r/app:devenv-222222222222"]);
    expect(p.inUse).toEqual(["r/app:devenv-111111111111"]);
  });
  it("nothing to do with few tags", () => {
    expect(planTagPrune(images.slice(3), ["r/app"], new Set(), 3).remove).toEqual([]);
  });
});

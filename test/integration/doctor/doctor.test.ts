// doctor tells the truth about this machine: it pings the real daemon and looks up real tools.
import { describe, expect, it } from "vitest";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { devenv } from "../../helpers/cli.js";
import { dockerAvailable } from "../../helpers/docker.js";
import { which } from "../../../src/exec/runner.js";

type Check = { id: string; status: string; detail: string; hint?: string };

async function doctor(env: Record<string, string> = {}) {
  const cwd = mkdtempSync(join(tmpdir(), "devenv-doctor-"));
  const r = await devenv(["doctor", "--json"], { cwd, env });
  const parsed = JSON.parse(r.stdout) as { outcome: string; checks: Check[] };
  return { code: r.code, ...parsed, byId: (id: string) => parsed.checks.find((c) => c.id === id)! };
}

describe("devenv doctor", () => {
  it("reports Docker, kind and kubectl as they really are here", async () => {
    const d = await doctor();
    expect(d.byId("docker").status).toBe(dockerAvailable ? "ok" : "fail");
    const kind = await which("kind");
    expect(d.byId("kind").status).toBe(kind ? expect.stringMatching(/ok|warn|fail/) : "fail");
    if (!kind) {
      expect(d.byId("kind").detail).toMatch(/not installed/);
      expect(d.byId("kind").hint).toMatch(/kind\.sigs\.k8s\.io/);
      expect(d.code).toBe(1); // kind is required by the default provider
    }
    expect(d.byId("kubectl").status).toBe((await which("kubectl")) ? "ok" : "fail");
    for (const id of ["node", "inotify", "disk", "ingress-port-http", "ingress-port-https", "image-store", "compose"]) expect(d.byId(id)).toBeDefined();
  });

  it("shows the Docker Desktop resources line only on Docker Desktop", async () => {
    const d = await doctor();
    if (!dockerAvailable) return;
    const { docker } = await import("../../../src/docker/client.js");
    const desktop = /Docker Desktop/i.test((await (await docker()).info()).OperatingSystem ?? "");
    expect(d.checks.some((c) => c.id === "docker-desktop-resources")).toBe(desktop);
  });

  it("says the daemon is down when it cannot be reached, with a fix", async () => {
    const d = await doctor({ DOCKER_HOST: "unix:///tmp/devenv-no-such-docker.sock" });
    const c = d.byId("docker");
    expect(c.status).toBe("fail");
    expect(c.detail).toMatch(/not reachable/);
    expect(c.hint).toMatch(/start Docker/);
    expect(d.code).toBe(1);
  });

  it("flags a port that is taken", async () => {
    const { createServer } = await import("node:net");
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, "0.0.0.0", () => r()));
    const port = (srv.address() as { port: number }).port;
    const { portFree } = await import("../../../src/docker/host-ports.js");
    try {
      expect(await portFree(port)).toBe(false);
    } finally {
      srv.close();
    }
    expect(await portFree(port)).toBe(true);
  });
});

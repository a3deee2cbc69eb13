// doctor's provider checks run on this machine: a taken port, the real engine's image store.
import { createServer } from "node:net";
import { expect, it } from "vitest";
import { providerChecks } from "../../../src/doctor/provider-checks.js";
import { traitsOf } from "../../../src/cluster/traits.js";
import { describeDocker } from "../../helpers/docker.js";
import { testEnv } from "../../unit/cluster/env.js";

describeDocker("provider doctor checks on this machine", () => {
  it("finds a taken port and reads the engine's image store", async () => {
    const srv = createServer().listen(0, "0.0.0.0");
    await new Promise((r) => srv.once("listening", r));
    const port = (srv.address() as { port: number }).port;
    try {
      const checks = providerChecks({ traits: traitsOf({ provider: "kind" }), ports: { http: port, https: 443 } });
      expect(checks.map((c) => c.id)).toEqual(["ingress-port-http", "ingress-port-https", "image-store", "docker-desktop-resources"]);
      expect(await checks[0]!.run()).toMatchObject({ status: "warn", detail: expect.stringMatching(/^in use by /) });
      const store = await checks[2]!.run();
      expect(store).toEqual({ status: "ok", detail: expect.stringMatching(/^classic image store \(overlay2\)$|^containerd image store/) });
    } finally {
      srv.close();
    }
  });

  it("the local registry's port held by something else, and its image in the cache (after imageOverrides)", async () => {
    const srv = createServer().listen(0, "0.0.0.0");
    await new Promise((r) => srv.once("listening", r));
    const port = (srv.address() as { port: number }).port;
    try {
      const env = testEnv({ cluster: { registry: { port } }, imageOverrides: { "registry:2": "devenv-local/registry:2" } });
      const checks = providerChecks({ traits: traitsOf({ provider: "kind" }), ports: { http: 80, https: 443 }, env });
      const byId = (id: string) => checks.find((c) => c.id === id)!;
      expect(byId("registry-port").title).toBe(`port ${port} (local registry)`);
      expect(await byId("registry-port").run()).toMatchObject({ status: "warn", detail: expect.stringMatching(/^in use by .*: the local registry cannot start, so `devenv up` imports images into the nodes instead/) });
      expect(await byId("registry-image").run()).toEqual({ status: "ok", detail: "devenv-local/registry:2 in the local image cache" });
      // Opted out: no registry checks.
      const off = providerChecks({ traits: traitsOf({ provider: "kind" }), ports: { http: 80, https: 443 }, env: testEnv({ cluster: { registry: { enabled: false } } }) });
      expect(off.map((c) => c.id)).not.toContain("registry-port");
    } finally {
      srv.close();
    }
  });
});

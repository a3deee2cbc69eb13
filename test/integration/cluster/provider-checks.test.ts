// doctor's provider checks run on this machine: a taken port, the real engine's image store.
import { createServer } from "node:net";
import { expect, it } from "vitest";
import { providerChecks } from "../../../src/doctor/provider-checks.js";
import { traitsOf } from "../../../src/cluster/traits.js";
import { describeDocker } from "../../helpers/docker.js";

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
});

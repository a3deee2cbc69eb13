// `devenv logs <service> --target compose` when the stack is not running: it says so and exits 1
// (compose itself prints nothing and exits 0). An unknown service stays a usage error.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { describeDocker } from "../helpers/docker.js";
import { devenv } from "../helpers/cli.js";

const root = mkdtempSync(join(tmpdir(), "devenv-logs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
writeFileSync(join(root, "compose.yaml"), "services:\n  web:\n    image: devenv-local/debian:bookworm\n");
writeFileSync(join(root, "devenv.ts"), `import { defineEnv } from "devenv-k8s";\nexport default defineEnv({ name: "logs-${process.pid}", compose: { files: ["compose.yaml"] } });\n`);

describeDocker("devenv logs --target compose, stack not running", () => {
  it("says the service is not running, with how to start it, and exits 1", async () => {
    const r = await devenv(["logs", "web", "--target", "compose"], { cwd: root });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/compose service "web" is not running: project "logs-\d+" has no container for it/);
    expect(r.stderr).toMatch(/hint: start the stack: `devenv up --target compose`/);
  });

  it("an unknown service is still a usage error naming the known ones", async () => {
    const r = await devenv(["logs", "nosuch", "--target", "compose"], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/hint: services: web/);
  });
});

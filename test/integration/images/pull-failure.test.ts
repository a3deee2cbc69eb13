// A base image the engine cannot pull (this machine reaches no registry; the image does not exist
// anywhere) is reported as a failed pull, with imageOverrides / DEVENV_IMAGE_OVERRIDES to point it
// at a local or mirrored image, not as a Dockerfile step to fix. Through the CLI, as a user runs it.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { describeDocker } from "../../helpers/docker.js";
import { devenv } from "../../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "devenv-pull-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function projectWith(dockerfile: string, buildArgs?: Record<string, string>): string {
  const root = mkdtempSync(join(dir, "p-"));
  mkdirSync(join(root, "app"));
  writeFileSync(join(root, "app", "Dockerfile"), dockerfile);
  writeFileSync(
    join(root, "devenv.ts"),
    `import { defineEnv } from "devenv-k8s";\nexport default defineEnv({ name: "pulltest", images: { app: { image: "devenv-test/pull-${Date.now()}", context: "app"${buildArgs ? `, buildArgs: ${JSON.stringify(buildArgs)}` : ""} } } });\n`,
  );
  return root;
}

describeDocker("a base image that cannot be pulled", () => {
  for (const builder of ["0", "1"]) {
    it(`FROM some-image-that-is-not-here:1 (DOCKER_BUILDKIT=${builder}): the pull failed, not the Dockerfile; overrides named`, async () => {
      const root = projectWith("FROM some-image-that-is-not-here:1\nRUN true\n");
      const r = await devenv(["up", "--only", "build-images"], { cwd: root, env: { DOCKER_BUILDKIT: builder } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/image "app" could not be built: pulling some-image-that-is-not-here:1 failed: the registry (is unreachable|has no such image|refused|rate-limited)/);
      expect(r.stderr).toMatch(/app\/Dockerfile:1/);
      expect(r.stderr).toContain("the Dockerfile is not at fault");
      expect(r.stderr).toContain("imageOverrides");
      expect(r.stderr).toContain("DEVENV_IMAGE_OVERRIDES=some-image-that-is-not-here:1=");
      expect(r.stderr).not.toContain("fix the Dockerfile step");
    });
  }

  it("FROM ${BASE_IMAGE} with the build arg in devenv.ts: the image is named from the arg, and the overrides rewrite it", async () => {
    const root = projectWith("ARG BASE_IMAGE=debian\nFROM ${BASE_IMAGE}\nRUN true\n", { BASE_IMAGE: "some-image-that-is-not-here:1" });
    const r = await devenv(["up", "--only", "build-images"], { cwd: root, env: { DOCKER_BUILDKIT: "0" } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/pulling some-image-that-is-not-here:1 failed/);
    expect(r.stderr).toMatch(/app\/Dockerfile:2/);
    expect(r.stderr).toContain("they rewrite build arg BASE_IMAGE, which the FROM takes");
    expect(r.stderr).not.toContain("fix the Dockerfile step");
  });
});

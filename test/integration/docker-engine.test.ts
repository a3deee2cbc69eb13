// The harness itself: the real engine builds an image from a local base and runs it.
import { expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { describeDocker, LOCAL_IMAGES } from "../helpers/docker.js";

describeDocker("real Docker engine", () => {
  it("builds an image on the local base and runs a container from it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "devenv-harness-"));
    writeFileSync(join(dir, "Dockerfile"), `ARG BASE_IMAGE=node:20\nFROM \${BASE_IMAGE}\nRUN echo built > /built.txt\nCMD ["cat", "/built.txt"]\n`);
    const tag = `devenv-test/harness:${Date.now()}`;
    await execa("docker", ["build", "-q", "--build-arg", `BASE_IMAGE=${LOCAL_IMAGES.node}`, "-t", tag, dir]);
    const run = await execa("docker", ["run", "--rm", tag]);
    expect(run.stdout.trim()).toBe("built");
    await execa("docker", ["rmi", "-f", tag]);
  });
});

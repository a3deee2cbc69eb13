// Builds real images on the engine: content tag, skip when the tag exists, parallel builds,
// and a failing RUN reported with its step, line and output.
import { afterAll, expect, it } from "vitest";
import { describeDocker, LOCAL_IMAGES } from "../../helpers/docker.js";
import { buildImage, buildImages, imageTarget } from "../../../src/images/build.js";
import { docker } from "../../../src/docker/client.js";
import { envAt, project, removeRepository, suffix } from "./fixtures.js";

const repo = `devenv-test/build-${suffix()}`;
const p = project({
  "api/Dockerfile": `ARG BASE_IMAGE=debian\nFROM \${BASE_IMAGE}\nCOPY . /app\nRUN cat /app/hello.txt\n`,
  "api/hello.txt": "hello\n",
  "api/.dockerignore": "*.log\n",
  "bad/Dockerfile": `FROM ${LOCAL_IMAGES.debian}\nRUN echo preparing\nRUN echo "it broke here" \\\n  && exit 7\nCMD ["true"]\n`,
});
const env = envAt(p.dir, {
  images: {
    api: { image: `${repo}-api`, context: "api", buildArgs: { BASE_IMAGE: "debian:bookworm" } },
    worker: { image: `${repo}-worker`, context: "api", buildArgs: { BASE_IMAGE: "debian:bookworm" }, dockerfile: "Dockerfile" },
    bad: { image: `${repo}-bad`, context: "bad" },
  },
  imageOverrides: { "debian:bookworm": LOCAL_IMAGES.debian },
});

describeDocker("buildImage (real engine)", () => {
  afterAll(async () => {
    for (const n of ["api", "worker", "bad"]) await removeRepository(`${repo}-${n}`);
    p.cleanup();
  });

  it("builds with the content tag, then skips while the content is unchanged", async () => {
    const lines: string[] = [];
    const first = await buildImage(env, "api", { onProgress: (l) => lines.push(l) });
    expect(first.built).toBe(true);
    expect(first.ref).toMatch(new RegExp(`^${repo}-api:devenv-[0-9a-f]{12}$`));
    expect(first.ref).toBe((await imageTarget(env, "api")).ref);
    expect(lines.some((l) => l.includes("hello"))).toBe(true); // live RUN output reached the callback
    const inspect = await (await docker()).images.inspect(first.ref);
    expect(inspect.Id).toBe(first.id);

    p.write("api/debug.log", "ignored\n");
    const again = await buildImage(env, "api");
    expect(again).toEqual({ ...first, built: false });

    p.write("api/hello.txt", "hello again\n");
    const changed = await buildImage(env, "api");
    expect(changed.built).toBe(true);
    expect(changed.ref).not.toBe(first.ref);
  });

  it("builds several images in parallel", async () => {
    const out = await buildImages(env, ["api", "worker"]);
    expect(out.map((b) => b.name)).toEqual(["api", "worker"]);
    expect(out[1]!.built).toBe(true);
  });

  it("builds with BuildKit when DOCKER_BUILDKIT=1, with readable output and the same error report", async () => {
    const saved = process.env.DOCKER_BUILDKIT;
    process.env.DOCKER_BUILDKIT = "1";
    try {
      // Unique content: BuildKit's cache outlives the test images and would skip the RUN.
      const marker = `hello from buildkit ${suffix()}`;
      p.write("api/hello.txt", `${marker}\n`);
      const lines: string[] = [];
      const img = await buildImage(env, "api", { onProgress: (l) => lines.push(l) });
      expect(img.built).toBe(true);
      expect(lines.some((l) => l.includes("[3/3] RUN cat /app/hello.txt"))).toBe(true);
      expect(lines).toContain(marker); // BuildKit logs arrive base64-encoded from the decoder, decoded here
      const err = await buildImage(env, "bad").then(
        () => undefined,
        (e: unknown) => e as { message: string; where?: string; details?: string },
      );
      expect(err?.message).toMatch(/image "bad" failed to build at `\[3\/3\] RUN echo "it broke here"/);
      expect(err?.where).toMatch(/bad\/Dockerfile:3$/);
      expect(err?.details).toContain("it broke here");
    } finally {
      if (saved === undefined) delete process.env.DOCKER_BUILDKIT;
      else process.env.DOCKER_BUILDKIT = saved;
    }
  });

  it("reports a failing RUN with the image, the Dockerfile line, the step and its output", async () => {
    const err = await buildImage(env, "bad").then(
      () => undefined,
      (e: unknown) => e as { name: string; message: string; where?: string; details?: string },
    );
    expect(err?.name).toBe("DevenvError");
    expect(err?.message).toContain('image "bad" failed to build');
    expect(err?.message).toContain("returned a non-zero code: 7");
    expect(err?.where).toMatch(/bad\/Dockerfile:3$/);
    expect(err?.details).toContain("it broke here");
  });
});

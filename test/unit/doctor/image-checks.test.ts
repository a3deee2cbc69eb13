// doctor names the images the stack will pull (base images, compose's third-party images) that
// the local cache lacks, after imageOverrides, with how to fix it.
import { describe, expect, it } from "vitest";
import { imageCacheVerdict, stackPullImages } from "../../../src/doctor/image-checks.js";
import { envSchema } from "../../../src/config/schema.js";

const config = (input: Record<string, unknown>) => envSchema.parse({ name: "shop", ...input });

describe("images the stack pulls", () => {
  it("takes build args named like an image and compose images nothing builds, after overrides", () => {
    const c = config({
      images: { api: { image: "acme/api", context: "api", buildArgs: { BASE_IMAGE: "node:20", NODE_ENV: "production" } } },
      imageOverrides: { "node:20": "mirror.local/node:20" },
    });
    const compose = [{ image: "postgres:16", built: false }, { image: "acme/api:dev", built: true }, { built: true }];
    expect(stackPullImages(c, compose)).toEqual(["mirror.local/node:20", "postgres:16"]);
  });

  it("warns with the missing ones and how to point them elsewhere; all present is ok", () => {
    expect(imageCacheVerdict(["node:20", "redis:7"], ["redis:7"])).toMatchObject({ status: "warn", detail: expect.stringContaining("not in the local image cache: redis:7"), hint: expect.stringContaining("DEVENV_IMAGE_OVERRIDES") });
    expect(imageCacheVerdict(["node:20"], [])).toEqual({ status: "ok", detail: "all 1 in the local image cache" });
    expect(imageCacheVerdict([], []).status).toBe("ok");
  });
});

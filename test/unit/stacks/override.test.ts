// The compose override: built services run their content tag, third-party images go through
// imageOverrides, unknown builds are reported, build args are rewritten.
import { describe, expect, it } from "vitest";
import { imageSchema } from "../../../src/config/schema.js";
import { planComposeOverride, renderOverride } from "../../../src/compose/override.js";
import { serviceVerdict, type ServiceState } from "../../../src/compose/run.js";

const images = { backend: imageSchema.parse({ image: "agentforge/backend", context: "services", dockerfile: "backend/Dockerfile", buildArgs: { BASE_IMAGE: "node:20" } }) };
const built = new Map([["backend", { name: "backend", repository: "agentforge/backend", ref: "agentforge/backend:devenv-abc", id: "sha256:1", built: true }]]);
const services = [
  { name: "backend", image: "agentforge/backend", build: { context: "/repo/services", dockerfile: "backend/Dockerfile", args: {} } },
  { name: "migrate", image: "agentforge/backend:latest" },
  { name: "postgres", image: "postgres:16" },
  { name: "redis", image: "redis:7" },
];

describe("planComposeOverride", () => {
  const o = planComposeOverride({ services, images, root: "/repo", built, imageOverrides: { "postgres:16": "devenv-local/postgres:16", "node:20": "devenv-local/node:20" } });

  it("points every service of a built image (also a build-less one like migrate) at its content tag", () => {
    expect(o.services.backend).toEqual({ image: "agentforge/backend:devenv-abc", build: { args: { BASE_IMAGE: "devenv-local/node:20" } } });
    expect(o.services.migrate).toEqual({ image: "agentforge/backend:devenv-abc" });
    expect(o.builtBy).toEqual({ backend: "backend", migrate: "backend" });
  });

  it("rewrites third-party images through the overrides and leaves the rest alone", () => {
    expect(o.services.postgres).toEqual({ image: "devenv-local/postgres:16" });
    expect(o.services.redis).toBeUndefined();
    expect(o.expected.redis).toBe("redis:7");
  });

  it("matches by build context and Dockerfile when the service has no image:", () => {
    const p = planComposeOverride({ services: [{ name: "api", build: { context: "/repo/services", dockerfile: "backend/Dockerfile", args: {} } }], images, root: "/repo", built, imageOverrides: {} });
    expect(p.builtBy.api).toBe("backend");
  });

  it("reports a build devenv.ts does not declare", () => {
    const p = planComposeOverride({ services: [{ name: "x", build: { context: "/elsewhere", dockerfile: "Dockerfile", args: {} } }], images, root: "/repo", built, imageOverrides: {} });
    expect(p.unbuilt).toEqual(["x"]);
  });

  it("renders a document compose can read (JSON is YAML)", () => {
    const text = renderOverride(o);
    expect(JSON.parse(text.slice(text.indexOf("\n") + 1)).services.migrate.image).toBe("agentforge/backend:devenv-abc");
  });
});

describe("serviceVerdict", () => {
  const st = (p: Partial<ServiceState>): ServiceState => ({ service: "s", image: "i", state: "running", exitCode: 0, ports: [], ...p });
  it("is ready when running and healthy, or a one-shot that exited 0", () => {
    expect(serviceVerdict([st({ health: "healthy" })], false)).toBe("ready");
    expect(serviceVerdict([st({})], false)).toBe("ready");
    expect(serviceVerdict([st({ state: "exited", exitCode: 0 })], true)).toBe("ready");
  });
  it("waits while starting or unhealthy, and without containers", () => {
    expect(serviceVerdict([st({ health: "starting" })], false)).toBe("waiting");
    expect(serviceVerdict([st({ health: "unhealthy" })], false)).toBe("waiting");
    expect(serviceVerdict([], false)).toBe("waiting");
  });
  it("fails when a long-running service exited, or a one-shot exited non-zero", () => {
    expect(serviceVerdict([st({ state: "exited", exitCode: 0 })], false)).toBe("failed");
    expect(serviceVerdict([st({ state: "exited", exitCode: 1 })], true)).toBe("failed");
  });
});

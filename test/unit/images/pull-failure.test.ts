// A failed base-image pull is told apart from a failing Dockerfile step, and classified from the
// engine's error text (recorded from the classic builder and BuildKit).
import { describe, expect, it } from "vitest";
import { describePullFailure, pullFailure } from "../../../src/images/build-output.js";

const DNS = 'Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host';

describe("pullFailure", () => {
  it("classic builder: the FROM step, its ${ARG} filled from the build args or the ARG default", () => {
    expect(pullFailure({ step: "FROM python:3.12-slim", message: DNS, output: [] })).toEqual({ problem: "unreachable", image: "python:3.12-slim" });
    const df = "ARG BASE_IMAGE=node:20\nFROM ${BASE_IMAGE}\n";
    expect(pullFailure({ step: "FROM ${BASE_IMAGE}", message: DNS, output: [] }, df)).toEqual({ problem: "unreachable", image: "node:20" });
    expect(pullFailure({ step: "FROM ${BASE_IMAGE}", message: DNS, output: [] }, df, { BASE_IMAGE: "node:22" })).toEqual({ problem: "unreachable", image: "node:22" });
  });

  it("BuildKit: the image from `load metadata for`, without docker.io/library/", () => {
    const message = 'failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: Head "https://registry-1.docker.io/v2/library/x/manifests/1": dial tcp: lookup registry-1.docker.io: no such host';
    expect(pullFailure({ step: "[internal] load metadata for docker.io/library/x:1", message, output: [] })).toEqual({ problem: "unreachable", image: "x:1" });
  });

  it("rate-limited, unauthorised, not found", () => {
    const f = (message: string) => pullFailure({ step: "FROM acme/api:1", message, output: [] })?.problem;
    expect(f("toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading")).toBe("rate-limited");
    expect(f("pull access denied for acme/api, repository does not exist or may require 'docker login': denied: requested access to the resource is denied")).toBe("unauthorised");
    expect(f('Head "https://ghcr.io/v2/acme/api/manifests/1": unauthorized: authentication required')).toBe("unauthorised");
    expect(f("manifest for acme/api:1 not found: manifest unknown: manifest unknown")).toBe("not-found");
  });

  it("a failing RUN, even one that downloads, is the Dockerfile's error", () => {
    expect(pullFailure({ step: "RUN curl https://example.com", message: "The command '/bin/sh -c curl https://example.com' returned a non-zero code: 6", output: ["curl: (6) Could not resolve host: example.com"] })).toBeUndefined();
    expect(pullFailure({ step: "[2/3] RUN make", message: "process \"/bin/sh -c make\" did not complete successfully: exit code: 2", output: [] })).toBeUndefined();
    expect(pullFailure({ step: "COPY missing.txt /", message: "COPY failed: file not found in build context", output: [] })).toBeUndefined();
  });
});

describe("describePullFailure", () => {
  it("names the image, the reason, imageOverrides and DEVENV_IMAGE_OVERRIDES; never the Dockerfile step", () => {
    const d = describePullFailure({ problem: "rate-limited", image: "python:3.12" }, "api");
    expect(d.message).toBe('image "api" could not be built: pulling python:3.12 failed: the registry rate-limited the pull (Docker Hub\'s anonymous limit: `docker login` raises it)');
    expect(d.hint).toContain("the Dockerfile is not at fault");
    expect(d.hint).toContain('imageOverrides: { "python:3.12": "mirror.example/python:3.12" }');
    expect(d.hint).toContain("DEVENV_IMAGE_OVERRIDES=python:3.12=<local image>");
    // A literal FROM: overrides rewrite build args, so the hint says how to route it through one.
    expect(d.hint).toContain("FROM ${BASE_IMAGE}");
    expect(describePullFailure({ problem: "unreachable", image: "node:20" }, "web", { name: "BASE_IMAGE", inDevenv: true }).hint).toContain("they rewrite build arg BASE_IMAGE");
  });
});

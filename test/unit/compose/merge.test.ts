// Compose override files: what a `docker compose -f a.yml -f b.yml` user expects.
import { describe, expect, it } from "vitest";
import { deepMerge, mergeService } from "../../../src/compose/merge.js";

describe("mergeService", () => {
  it("appended ports and env_files are not repeated when both files list them", () => {
    const base = { ports: [{ target: 80, published: "8080" }], env_file: ["/a/.env"], dns: ["1.1.1.1"] };
    const over = { ports: [{ target: 80, published: "8080" }, { target: 443, published: "8443" }], env_file: ["/a/.env", "/a/.env.local"], dns: ["1.1.1.1"] };
    expect(mergeService(base, over)).toEqual({
      ports: [{ target: 80, published: "8080" }, { target: 443, published: "8443" }],
      env_file: ["/a/.env", "/a/.env.local"],
      dns: ["1.1.1.1"],
    });
  });
  it("build args merge by key, the other build fields are overridden", () => {
    const base = { build: { context: "/a", dockerfile: "Dockerfile", args: { NODE: "20", DEBUG: "0" } } };
    const over = { build: { dockerfile: "Dev.Dockerfile", args: { DEBUG: "1" } } };
    expect(mergeService(base, over)).toEqual({ build: { context: "/a", dockerfile: "Dev.Dockerfile", args: { NODE: "20", DEBUG: "1" } } });
    expect(mergeService({ build: { context: "/a" } }, { build: { args: { X: "1" } } })).toEqual({ build: { context: "/a", args: { X: "1" } } });
  });
  it("environment and labels merge by key, later file wins", () => {
    expect(mergeService({ environment: { A: "1", B: "2" }, labels: { x: "1" } }, { environment: { B: "3" }, labels: { y: "2" } })).toEqual({ environment: { A: "1", B: "3" }, labels: { x: "1", y: "2" } });
  });
  it("command, entrypoint and the healthcheck test are replaced, not appended", () => {
    const base = { command: ["npm", "start"], healthcheck: { test: ["CMD", "a"], interval: "5s" } };
    expect(mergeService(base, { command: ["node", "x.js"], healthcheck: { test: ["CMD", "b"] } })).toEqual({ command: ["node", "x.js"], healthcheck: { test: ["CMD", "b"], interval: "5s" } });
  });
  it("volumes merge by target path", () => {
    const base = { volumes: [{ target: "/data", source: "a" }, { target: "/cache", source: "c" }] };
    expect(mergeService(base, { volumes: [{ target: "/data", source: "b" }] })).toEqual({ volumes: [{ target: "/cache", source: "c" }, { target: "/data", source: "b" }] });
  });
  it("a field the override leaves undefined keeps the base value; neither input is modified", () => {
    const base = { image: "a:1", environment: { A: "1" } };
    const over = { image: undefined, environment: { B: "2" } };
    expect(mergeService(base, over)).toEqual({ image: "a:1", environment: { A: "1", B: "2" } });
    expect(base).toEqual({ image: "a:1", environment: { A: "1" } });
  });
  it("deepMerge replaces lists and merges nested maps", () => {
    expect(deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 })).toEqual({ a: { b: 1, c: [3] }, d: 1, e: 2 });
  });
});

// The pipeline of `up`: the one place that says what runs after what, and --only keeping that
// order through the steps it leaves out.
import { describe, expect, it } from "vitest";
import { levels, restrict } from "../../../src/runner/step.js";
import { upSteps } from "../../../src/up/pipeline.js";

const ids = (steps: { id: string }[][]) => steps.map((l) => l.map((s) => s.id));

describe("up pipeline", () => {
  it("cluster: independent steps share a level, each dependant waits for what it needs", () => {
    expect(ids(levels(upSteps({ target: "cluster", watch: false })))).toEqual([
      ["ensure-cluster", "build-images"],
      ["render-manifests"],
      ["load-images"],
      ["install-addons"],
      ["apply-data"],
      ["seed"],
      ["apply-apps"],
    ]);
  });

  it("compose: build, start, seed; --watch adds the watch last", () => {
    expect(ids(levels(upSteps({ target: "compose", watch: true })))).toEqual([["build-images"], ["compose-up"], ["seed"], ["watch"]]);
  });

  it("--only keeps the order of the steps it runs through the ones it leaves out", () => {
    const only = restrict(upSteps({ target: "cluster", watch: false }), ["apply-apps", "apply-data"]);
    expect(only.map((s) => [s.id, s.after])).toEqual([
      ["apply-data", []],
      ["apply-apps", ["apply-data"]], // through seed
    ]);
    const loads = restrict(upSteps({ target: "cluster", watch: false }), ["build-images", "install-addons"]);
    expect(loads.find((s) => s.id === "install-addons")!.after).toEqual(["build-images"]); // through load-images
  });

  it("--only one step runs it alone", () => {
    expect(restrict(upSteps({ target: "cluster", watch: false }), ["apply-apps"]).map((s) => [s.id, s.after])).toEqual([["apply-apps", []]]);
  });
});

import { describe, expect, it } from "vitest";
import { levels, type Step } from "../../src/runner/step.js";
import { planSteps, runSteps } from "../../src/runner/run.js";

const step = (id: string, after: string[] = [], log?: string[]): Step<object> => ({
  id,
  title: id,
  after,
  plan: () => [`do ${id}`],
  run: async () => {
    log?.push(id);
  },
});

describe("step levels", () => {
  it("groups independent steps and orders dependants after them", () => {
    const ls = levels([step("cluster"), step("build"), step("load", ["build", "cluster"]), step("apply", ["load"])]);
    expect(ls.map((l) => l.map((s) => s.id))).toEqual([["cluster", "build"], ["load"], ["apply"]]);
  });
  it("rejects unknown dependencies and cycles", () => {
    expect(() => levels([step("a", ["nope"])])).toThrow(/unknown step nope/);
    expect(() => levels([step("a", ["b"]), step("b", ["a"])])).toThrow(/cycle/);
  });
});

describe("runSteps", () => {
  it("runs in dependency order and skips steps whose check says done", async () => {
    const log: string[] = [];
    const done: Step<object> = { ...step("done", [], log), check: async () => "already there" };
    const results = await runSteps([step("a", [], log), done, step("b", ["a", "done"], log)], {}, { silent: true });
    expect(log).toEqual(["a", "b"]);
    expect(results.find((r) => r.id === "done")).toMatchObject({ status: "skipped", reason: "already there" });
  });
  it("plans without running", async () => {
    const log: string[] = [];
    const plan = await planSteps([step("a", [], log), step("b", ["a"], log)], {});
    expect(log).toEqual([]);
    expect(plan.map((p) => [p.id, p.level, p.actions])).toEqual([["a", 0, ["do a"]], ["b", 1, ["do b"]]]);
  });
});

describe("runSteps as a dependency graph", () => {
  it("starts a step when its own dependencies are done, not when its level is", async () => {
    const log: string[] = [];
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((r) => (releaseSlow = r));
    const slow: Step<object> = { id: "cluster", title: "cluster", after: [], plan: () => [], run: async () => { await slowGate; log.push("cluster"); } };
    const render: Step<object> = { ...step("render", ["build"], log), run: async () => { log.push("render"); releaseSlow(); } };
    await runSteps([slow, step("build", [], log), render, step("load", ["cluster", "render"], log)], {}, { silent: true });
    expect(log).toEqual(["build", "render", "cluster", "load"]);
  });

  it("a failure fails the run with that step's error, and its dependants never run", async () => {
    const log: string[] = [];
    const bad: Step<object> = { id: "bad", title: "bad", after: [], plan: () => [], run: async () => { throw new Error("boom in bad"); } };
    await expect(runSteps([bad, step("after-bad", ["bad"], log)], {}, { silent: true })).rejects.toThrow("boom in bad");
    expect(log).toEqual([]);
  });
});

describe("runSteps failure reporting", () => {
  it("dependants of a failed step are skipped, not failed with its error again", async () => {
    const bad: Step<object> = { id: "bad", title: "bad", after: [], plan: () => [], run: async () => { throw new Error("boom"); } };
    const seen: string[] = [];
    const dependant: Step<object> = { ...step("dep", ["bad"]), check: async () => { seen.push("checked"); return false; } };
    await expect(runSteps([bad, dependant], {}, { silent: true })).rejects.toThrow("boom");
    expect(seen).toEqual([]); // never got as far as its check
  });
});

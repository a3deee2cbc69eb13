import { describe, expect, it } from "vitest";
import { levels, type Step } from "../../src/runner/step.js";
import { planSteps, runSteps } from "../../src/runner/run.js";
import { DevenvError, isStepFailures, type StepFailures } from "../../src/errors/devenv-error.js";
import { formatError, toReport } from "../../src/errors/report.js";
import { makeStyle } from "../../src/ui/style.js";

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
  it("times each step for --json: when it started (after the step it waits for ended) and how long it and its check took", async () => {
    const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    const slow: Step<object> = { ...step("slow"), run: () => sleep(60) };
    const checked: Step<object> = { ...step("checked", ["slow"]), check: async () => (await sleep(30), false), run: () => sleep(30) };
    const t0 = performance.now();
    const results = await runSteps([slow, checked], {}, { silent: true });
    const [a, b] = ["slow", "checked"].map((id) => results.find((r) => r.id === id)!);
    expect(a!.startMs).toBeGreaterThanOrEqual(t0);
    expect(a!.ms).toBeGreaterThanOrEqual(55);
    expect(a!.checkMs).toBeUndefined();
    expect(b!.startMs).toBeGreaterThanOrEqual(a!.startMs + a!.ms - 1);
    expect(b!.checkMs).toBeGreaterThanOrEqual(25);
    expect(b!.ms).toBeGreaterThanOrEqual(b!.checkMs! + 25);
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

describe("runSteps: the error block after every running step has settled", () => {
  const failing = (id: string, msg: string, hint: string, ms = 0): Step<object> => ({
    id,
    title: `Title of ${id}`,
    after: [],
    plan: () => [],
    run: async () => {
      await new Promise((r) => setTimeout(r, ms));
      throw new DevenvError(msg, { hint });
    },
  });

  it("waits for a running step to finish before rejecting, and reports every failure in pipeline order", async () => {
    const log: string[] = [];
    const slow: Step<object> = { id: "slow", title: "slow", after: [], plan: () => [], run: async () => { await new Promise((r) => setTimeout(r, 80)); log.push("slow done"); } };
    // "second" fails first; the report still follows the pipeline's order.
    const e = await runSteps([failing("first", "first broke", "fix first", 30), slow, failing("second", "second broke", "fix second", 0)], {}, { silent: true }).catch((x: unknown) => x);
    log.push("rejected");
    expect(log).toEqual(["slow done", "rejected"]);
    expect(isStepFailures(e)).toBe(true);
    expect((e as StepFailures).failures.map((f) => f.step)).toEqual(["first", "second"]);
    const text = formatError(e, makeStyle(false), false);
    expect(text.split("\n")).toEqual([
      "✗ 2 errors (2 steps failed: first, second)",
      "[first] ✗ error: first broke",
      "  hint: fix first",
      "[second] ✗ error: second broke",
      "  hint: fix second",
    ]);
  });

  it("one failure is rethrown as itself (its own message, hint and exit code)", async () => {
    const e = await runSteps([failing("only", "it broke", "do this")], {}, { silent: true }).catch((x: unknown) => x);
    expect(isStepFailures(e)).toBe(false);
    expect(formatError(e, makeStyle(false), false)).toBe("✗ error: it broke\n  hint: do this");
  });

  it("the same error failing two steps is one block naming both", async () => {
    const shared = new DevenvError("the engine is gone", { hint: "start Docker" });
    const a: Step<object> = { id: "a", title: "a", after: [], plan: () => [], run: async () => { throw shared; } };
    const b: Step<object> = { id: "b", title: "b", after: [], plan: () => [], run: async () => { throw new DevenvError("the engine is gone", { hint: "start Docker" }); } };
    const e = await runSteps([a, b], {}, { silent: true }).catch((x: unknown) => x);
    const text = formatError(e, makeStyle(false), false);
    expect(text.match(/the engine is gone/g)).toHaveLength(1);
    expect(text).toContain("[a, b] ✗ error: the engine is gone\n  hint: start Docker");
    expect(toReport(e).failures).toMatchObject([{ steps: ["a", "b"], message: "the engine is gone", hint: "start Docker" }]);
  });

  it("a step that had not started when another failed is skipped, not started", async () => {
    const log: string[] = [];
    const gate: Step<object> = { id: "gate", title: "gate", after: [], plan: () => [], run: async () => { await new Promise((r) => setTimeout(r, 50)); } };
    await runSteps([failing("bad", "boom", "h"), gate, step("later", ["gate"], log)], {}, { silent: true }).catch(() => undefined);
    expect(log).toEqual([]);
  });
});

describe("runSteps output", () => {
  /** Runs the steps with a renderer, capturing what it writes. */
  async function rendered(steps: Step<object>[], plain: boolean): Promise<string> {
    const chunks: string[] = [];
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    const tty = [process.stdout.isTTY, process.stderr.isTTY];
    const capture = ((c: unknown) => (chunks.push(String(c)), true)) as typeof process.stdout.write;
    Object.assign(process.stdout, { isTTY: true, write: capture });
    Object.assign(process.stderr, { isTTY: true, write: capture });
    const ci = process.env.CI;
    delete process.env.CI;
    try {
      await runSteps(steps, {}, { plain }).catch(() => undefined);
    } finally {
      Object.assign(process.stdout, { isTTY: tty[0], write: out });
      Object.assign(process.stderr, { isTTY: tty[1], write: err });
      if (ci !== undefined) process.env.CI = ci;
    }
    return chunks.join("").replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
  }
  const skipped: Step<object> = { id: "build", title: "Build images", after: [], plan: () => [], check: async () => "no images declared", run: async () => {} };
  const bad: Step<object> = { id: "apply", title: "Apply manifests", after: [], plan: () => [], run: async () => { throw new DevenvError("the apply broke: unique-message-42"); } };

  it("the TTY renderer keeps the step's name on a skipped step, the reason under it", async () => {
    const text = await rendered([skipped, bad], false);
    expect(text).toMatch(/Build images\n +↓ no images declared/);
    expect(text).toMatch(/✖ Apply manifests/);
    expect(text).not.toContain("unique-message-42"); // printed once, by the CLI, after the run
  });

  it("the plain renderer names skipped steps and does not repeat the error on the step's line", async () => {
    const text = await rendered([skipped, bad], true);
    expect(text).toMatch(/Build images.*no images declared/);
    expect(text).toMatch(/Apply manifests/);
    expect(text).not.toContain("unique-message-42");
  });
});

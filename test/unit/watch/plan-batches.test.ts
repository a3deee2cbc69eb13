// Batches a developer produces while editing: deleting files, touching several at once, editing
// in the cluster where a sync is possible.
import { describe, expect, it } from "vitest";
import { planReload, type FileChange } from "../../../src/watch/plan.js";
import { compileRules } from "../../../src/watch/rules.js";
import { envWith } from "./fixtures.js";

const change = (path: string): FileChange => ({ path, kind: "change" });
const del = (path: string): FileChange => ({ path, kind: "delete" });
const rulesOf = (image: Parameters<typeof envWith>[0], dockerignore: string[] = []) => compileRules(envWith(image, "/repo"), "web", dockerignore);

describe("deletions", () => {
  const rules = rulesOf({ sync: [{ from: "src", to: "/app/src" }] });
  it("a batch of deletions only removes the files from the container", () => {
    expect(planReload([del("src/b.js"), del("src/a.js")], rules)).toEqual({ kind: "sync", copies: [], deletes: ["/app/src/a.js", "/app/src/b.js"], afterSync: "none", ignored: [] });
  });
  it("in the cluster too", () => {
    expect(planReload([del("src/a.js")], rules, { target: "cluster" })).toMatchObject({ kind: "sync", deletes: ["/app/src/a.js"] });
  });
  it("deleting an ignored file does nothing, deleting an unsynced one rebuilds", () => {
    const r = rulesOf({ sync: [{ from: "src", to: "/app/src" }] }, ["*.log"]);
    expect(planReload([del("debug.log")], r)).toEqual({ kind: "none", ignored: ["debug.log"] });
    expect(planReload([del("package.json")], r)).toMatchObject({ kind: "rebuild", paths: ["package.json"] });
  });
});

describe("in the cluster", () => {
  it("a sync stays a sync, whatever afterSync says", () => {
    const none = rulesOf({ sync: [{ from: "src", to: "/app/src" }] });
    expect(planReload([change("src/a.js")], none, { target: "cluster" })).toEqual({ kind: "sync", copies: [{ from: "src/a.js", to: "/app/src/a.js" }], deletes: [], afterSync: "none", ignored: [] });
    const exec = rulesOf({ sync: [{ from: "src", to: "/app/src" }], afterSync: { exec: ["kill", "-HUP", "1"] } });
    expect(planReload([change("src/a.js")], exec, { target: "cluster" })).toMatchObject({ kind: "sync" });
  });
  it("afterSync restart syncs (the supervisor restarts the process; the pod keeps the files)", () => {
    const r = rulesOf({ sync: [{ from: "src", to: "/app/src" }], afterSync: "restart" });
    expect(planReload([change("src/z.js"), del("src/a.js")], r, { target: "cluster" })).toEqual({ kind: "sync", copies: [{ from: "src/z.js", to: "/app/src/z.js" }], deletes: ["/app/src/a.js"], afterSync: "restart", ignored: [] });
  });
  it("a restart batch with only ignored files does nothing", () => {
    const r = rulesOf({ sync: [{ from: "src", to: "/app/src" }], afterSync: "restart" }, ["*.log"]);
    expect(planReload([change("x.log")], r, { target: "cluster" })).toEqual({ kind: "none", ignored: ["x.log"] });
  });
});

describe("several files at once", () => {
  const rules = rulesOf({ sync: [{ from: "src", to: "/app/src" }] }, ["*.log"]);
  it("the rebuild reason names the first path and how many more; paths are sorted", () => {
    const plan = planReload([change("package.json"), change("Makefile"), change("src/a.js")], rules);
    expect(plan).toEqual({ kind: "rebuild", reason: "package.json (+1 more) is not covered by a sync rule", paths: ["Makefile", "package.json"] });
    expect(planReload([change("package.json")], rules)).toEqual({ kind: "rebuild", reason: "package.json is not covered by a sync rule", paths: ["package.json"] });
  });
  it("a sync reports the ignored paths beside the copies, copies sorted by destination", () => {
    expect(planReload([change("src/b.js"), change("a.log"), change("src/a.js")], rules)).toEqual({
      kind: "sync",
      copies: [
        { from: "src/a.js", to: "/app/src/a.js" },
        { from: "src/b.js", to: "/app/src/b.js" },
      ],
      deletes: [],
      afterSync: "none",
      ignored: ["a.log"],
    });
  });
  it("the last event of a path wins: change then delete is a delete", () => {
    expect(planReload([change("src/a.js"), del("src/a.js")], rules)).toMatchObject({ kind: "sync", copies: [], deletes: ["/app/src/a.js"] });
  });
});

// `devenv watch` while a developer edits: which saves are copied where, which rebuild the
// image, and which do nothing, with the rules written the way devenv.ts users write them.
import { describe, expect, it } from "vitest";
import { destinationOf, planReload, type FileChange } from "../../../src/watch/plan.js";
import { compileRules, missingSources } from "../../../src/watch/rules.js";
import { envWith } from "./fixtures.js";

const change = (path: string): FileChange => ({ path, kind: "change" });
const del = (path: string): FileChange => ({ path, kind: "delete" });
const rulesOf = (image: Parameters<typeof envWith>[0], dockerignore: string[] = []) => compileRules(envWith(image, "/repo"), "web", dockerignore);

describe("what forces a rebuild", () => {
  it(".dockerignore itself rebuilds, even when it lists itself, and even with rebuildOn given", () => {
    const r = rulesOf({ sync: [{ from: ".", to: "/app" }], rebuildOn: ["package.json"] }, [".dockerignore"]);
    expect(planReload([change(".dockerignore")], r)).toEqual({ kind: "rebuild", reason: ".dockerignore is not covered by a sync rule", paths: [".dockerignore"] });
  });
  it("the Dockerfile rebuilds even under a '.' sync rule; a file named like it elsewhere syncs", () => {
    const r = rulesOf({ sync: [{ from: ".", to: "/app" }] });
    expect(planReload([change("Dockerfile")], r)).toMatchObject({ kind: "rebuild", paths: ["Dockerfile"] });
    expect(planReload([change("docs/Dockerfile")], r)).toMatchObject({ kind: "sync", copies: [{ from: "docs/Dockerfile", to: "/app/docs/Dockerfile" }] });
  });
  it("a deleted Dockerfile rebuilds too", () => {
    expect(planReload([del("Dockerfile")], rulesOf({ sync: [{ from: "src", to: "/app/src" }] }))).toMatchObject({ kind: "rebuild", paths: ["Dockerfile"] });
  });
  it("one unsynced file in a batch rebuilds the whole batch (the synced ones come with the image)", () => {
    const r = rulesOf({ sync: [{ from: "src", to: "/app/src" }] });
    expect(planReload([change("src/a.js"), change("package.json"), del("src/b.js")], r)).toEqual({ kind: "rebuild", reason: "package.json is not covered by a sync rule", paths: ["package.json"] });
  });
  it("rebuildOn matches globs: only matching files rebuild, other unsynced files are ignored and reported", () => {
    const r = rulesOf({ sync: [{ from: "src", to: "/app/src" }], rebuildOn: ["package*.json", "prisma/**"] });
    expect(planReload([change("prisma/schema.prisma")], r)).toMatchObject({ kind: "rebuild", paths: ["prisma/schema.prisma"] });
    expect(planReload([change("package-lock.json"), change("README.md")], r)).toMatchObject({ kind: "rebuild", paths: ["package-lock.json"] });
    expect(planReload([change("README.md"), change("src/a.js")], r)).toEqual({ kind: "sync", copies: [{ from: "src/a.js", to: "/app/src/a.js" }], deletes: [], afterSync: "none", ignored: ["README.md"] });
  });
  it("the reason counts the other paths; paths come sorted", () => {
    const r = rulesOf({ sync: [{ from: "src", to: "/app/src" }] });
    expect(planReload([change("z.txt"), change("b.txt"), change("a.txt")], r)).toEqual({ kind: "rebuild", reason: "z.txt (+2 more) is not covered by a sync rule", paths: ["a.txt", "b.txt", "z.txt"] });
  });
});

describe("what does nothing", () => {
  it("changes under node_modules, .git or .devenv anywhere in the context", () => {
    const r = rulesOf({ sync: [{ from: ".", to: "/app" }] });
    expect(planReload([change("node_modules/x/index.js"), change("pkg/node_modules/y.js"), change(".git/index"), change(".devenv/state.json")], r)).toEqual({
      kind: "none",
      ignored: ["node_modules/x/index.js", "pkg/node_modules/y.js", ".git/index", ".devenv/state.json"],
    });
  });
  it("an ignored file is ignored even when rebuildOn names it", () => {
    const r = rulesOf({ sync: [{ from: "src", to: "/app/src" }], rebuildOn: ["*.log"] }, ["*.log"]);
    expect(planReload([change("x.log")], r)).toEqual({ kind: "none", ignored: ["x.log"] });
  });
});

describe("where a synced file goes", () => {
  it("a file rule and a directory rule on the same path prefix: the deeper one wins, whatever the order written", () => {
    const a = [{ from: "src/static", to: "/srv/static" }, { from: "src", to: "/app/src" }];
    expect(destinationOf("src/static/a.css", a)).toBe("/srv/static/a.css");
    expect(destinationOf("src/static/a.css", [...a].reverse())).toBe("/srv/static/a.css");
    expect(destinationOf("src/other.js", a)).toBe("/app/src/other.js");
  });
  it("a named rule wins over the '.' rule, and two rules of the same depth keep the first written", () => {
    expect(destinationOf("src/a.js", [{ from: ".", to: "/app" }, { from: "src", to: "/code" }])).toBe("/code/a.js");
    expect(destinationOf("src/a.js", [{ from: "src", to: "/one" }, { from: "src", to: "/two" }])).toBe("/one/a.js");
  });
  it("a '.' rule to / maps paths under /", () => {
    expect(destinationOf("etc/x.conf", [{ from: ".", to: "/" }])).toBe("/etc/x.conf");
  });
  it("the rule's directory itself maps to its target", () => {
    expect(destinationOf("src", [{ from: "src", to: "/app/src" }])).toBe("/app/src");
  });
  it("rules written with ./ and trailing slashes in devenv.ts sync the same files (in the cluster too)", () => {
    const r = rulesOf({ sync: [{ from: "./src/", to: "/app/src/" }], afterSync: { exec: ["kill", "-HUP", "1"] } });
    expect(planReload([change("src/a.js"), del("src/old.js")], r, { target: "cluster" })).toEqual({
      kind: "sync",
      copies: [{ from: "src/a.js", to: "/app/src/a.js" }],
      deletes: ["/app/src/old.js"],
      afterSync: { exec: ["kill", "-HUP", "1"] },
      ignored: [],
    });
  });
  it("paths from Windows watchers (backslashes, .\\ prefix) are the same files", () => {
    const r = rulesOf({ sync: [{ from: "src", to: "/app/src" }] });
    expect(planReload([change("src\\lib\\a.js"), del(".\\src\\b.js")], r)).toEqual({ kind: "sync", copies: [{ from: "src/lib/a.js", to: "/app/src/lib/a.js" }], deletes: ["/app/src/b.js"], afterSync: "none", ignored: [] });
  });
  it("a path saved twice in one batch is copied once", () => {
    const r = rulesOf({ sync: [{ from: "src", to: "/app/src" }] });
    expect(planReload([change("src/a.js"), change("./src/a.js")], r)).toMatchObject({ copies: [{ from: "src/a.js", to: "/app/src/a.js" }] });
  });
  it("deletes and copies come sorted by container path", () => {
    const r = rulesOf({ sync: [{ from: "src", to: "/app/src" }, { from: "lib", to: "/app/a-lib" }] });
    expect(planReload([del("src/z.js"), change("src/b.js"), del("lib/y.js"), change("lib/c.js")], r)).toMatchObject({
      copies: [{ from: "lib/c.js", to: "/app/a-lib/c.js" }, { from: "src/b.js", to: "/app/src/b.js" }],
      deletes: ["/app/a-lib/y.js", "/app/src/z.js"],
    });
  });
});

describe("compiled rules", () => {
  it("a sync to / stays /, a target's trailing slashes go", () => {
    expect(rulesOf({ sync: [{ from: "etc", to: "/" }, { from: "a", to: "/srv//" }] }).sync).toEqual([{ from: "etc", to: "/" }, { from: "a", to: "/srv" }]);
  });
  it("trailing slashes of a source go, however many, and inner ones stay", () => {
    expect(rulesOf({ sync: [{ from: "src/lib/", to: "/app/lib" }, { from: "src//", to: "/app/src" }] }).sync.map((s) => s.from)).toEqual(["src/lib", "src"]);
  });
  it("a Dockerfile outside the context keeps its ../", () => {
    expect(rulesOf({ dockerfile: "../Dockerfile" }).dockerfile).toBe("../Dockerfile");
  });
  it("rebuildOn patterns are case-sensitive, like the ignore patterns", () => {
    const r = rulesOf({ rebuildOn: ["package.json"] });
    expect(r.rebuildOn?.ignores("package.json")).toBe(true);
    expect(r.rebuildOn?.ignores("Package.json")).toBe(false);
  });
  it("an unknown image is reported at images", () => {
    expect(() => compileRules(envWith({}, "/repo"), "nope", [])).toThrow(expect.objectContaining({ where: "images", exitCode: 2 }));
  });
  it("./././src is src, a .\\ Windows prefix too", () => {
    expect(rulesOf({ sync: [{ from: "././src", to: "/app/src" }, { from: ".\\lib", to: "/app/lib" }] }).sync.map((s) => s.from)).toEqual(["src", "lib"]);
  });
  it("a missing sync source says how to fix it and that the other rules keep working", () => {
    const r = rulesOf({ sync: [{ from: "nope", to: "/app/nope" }] });
    const [m] = missingSources(r);
    expect(m!.error.message).toBe('sync source "nope" does not exist in /repo/web');
    expect(m!.error.hint).toBe("create it, or fix the path (it is relative to the image's build context); the other rules keep syncing");
    expect(m!.error.exitCode).toBe(2);
  });
  it("afterSync and rebuildOn are carried from devenv.ts", () => {
    const r = rulesOf({ afterSync: "restart", rebuildOn: ["go.mod"] });
    expect(r.afterSync).toBe("restart");
    expect(r.rebuildOn?.ignores("go.mod")).toBe(true);
    expect(r.rebuildOn?.ignores("main.go")).toBe(false);
  });
});

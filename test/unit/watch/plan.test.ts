import { describe, expect, it } from "vitest";
import { destinationOf, isInside, planReload, syncRoot, type FileChange } from "../../../src/watch/plan.js";
import { compileRules } from "../../../src/watch/rules.js";
import { envWith } from "./fixtures.js";

const change = (path: string): FileChange => ({ path, kind: "change" });
const del = (path: string): FileChange => ({ path, kind: "delete" });
const rulesOf = (image: Parameters<typeof envWith>[0], dockerignore: string[] = [], watchIgnore: string[] = []) =>
  compileRules(envWith(image, "/repo", { ignore: watchIgnore }), "web", dockerignore);

describe("destinationOf", () => {
  const sync = [
    { from: "src", to: "/app/src" },
    { from: "src/static", to: "/srv/static" },
    { from: "server.js", to: "/app/server.js" },
  ];
  it("maps a file under a directory rule", () => expect(destinationOf("src/a/b.js", sync)).toBe("/app/src/a/b.js"));
  it("prefers the most specific rule", () => expect(destinationOf("src/static/x.css", sync)).toBe("/srv/static/x.css"));
  it("maps a file rule to its target", () => expect(destinationOf("server.js", sync)).toBe("/app/server.js"));
  it("does not match a sibling with a common prefix", () => expect(destinationOf("srcx/a.js", sync)).toBeUndefined());
  it("a '.' rule covers the whole context", () => expect(destinationOf("a/b.txt", [{ from: ".", to: "/app" }])).toBe("/app/a/b.txt"));
});

describe("planReload", () => {
  const rules = rulesOf({ sync: [{ from: "./src/", to: "/app/src/" }, { from: "public", to: "/app/public" }] });

  it("syncs changed files and deletes removed ones", () => {
    const plan = planReload([change("src/a.js"), del("public/old.html"), change("public/index.html")], rules);
    expect(plan).toEqual({
      kind: "sync",
      copies: [
        { from: "public/index.html", to: "/app/public/index.html" },
        { from: "src/a.js", to: "/app/src/a.js" },
      ],
      deletes: ["/app/public/old.html"],
      afterSync: "none",
      ignored: [],
    });
  });

  it("the last event of a path wins (delete then re-create is a copy)", () => {
    const plan = planReload([del("src/a.js"), change("src/a.js")], rules);
    expect(plan.kind === "sync" && plan.copies.map((c) => c.to)).toEqual(["/app/src/a.js"]);
    expect(plan.kind === "sync" && plan.deletes).toEqual([]);
  });

  it("rebuilds on a change outside the sync rules", () => {
    const plan = planReload([change("src/a.js"), change("package.json")], rules);
    expect(plan).toMatchObject({ kind: "rebuild", paths: ["package.json"] });
    expect(plan.kind === "rebuild" && plan.reason).toContain("package.json");
  });

  it("rebuilds on a Dockerfile change even when .dockerignore lists it", () => {
    const r = rulesOf({ sync: [{ from: ".", to: "/app" }] }, ["Dockerfile"]);
    expect(planReload([change("Dockerfile")], r)).toMatchObject({ kind: "rebuild", paths: ["Dockerfile"] });
    expect(planReload([change(".dockerignore")], r)).toMatchObject({ kind: "rebuild" });
  });

  it("honours a custom dockerfile path", () => {
    const r = rulesOf({ dockerfile: "./docker/Dev.Dockerfile", sync: [{ from: ".", to: "/app" }] });
    expect(planReload([change("docker/Dev.Dockerfile")], r)).toMatchObject({ kind: "rebuild" });
  });

  it("rebuildOn wins over a sync rule that covers the path", () => {
    const r = rulesOf({ sync: [{ from: ".", to: "/app" }], rebuildOn: ["package.json", "**/*.lock"] });
    expect(planReload([change("package.json")], r)).toMatchObject({ kind: "rebuild", paths: ["package.json"] });
    expect(planReload([change("deps/yarn.lock")], r)).toMatchObject({ kind: "rebuild" });
    expect(planReload([change("index.js")], r)).toMatchObject({ kind: "sync" });
  });

  it("with rebuildOn, an unsynced path outside it does nothing", () => {
    const r = rulesOf({ sync: [{ from: "src", to: "/app/src" }], rebuildOn: ["package.json"] });
    expect(planReload([change("README.md")], r)).toEqual({ kind: "none", ignored: ["README.md"] });
  });

  it("ignores .git, node_modules, .dockerignore patterns and watch.ignore", () => {
    const r = rulesOf({ sync: [{ from: ".", to: "/app" }] }, ["*.log", "tmp"], ["**/*.swp"]);
    const plan = planReload([change(".git/HEAD"), change("node_modules/x/i.js"), change("lib/node_modules/y.js"), change("a.log"), change("tmp/t/x"), change("src/.a.js.swp"), change(".devenv/compose.override.yml")], r);
    expect(plan.kind).toBe("none");
    expect(plan.kind === "none" && plan.ignored.length).toBe(7);
  });

  it("keeps a .dockerignore exception (!pattern)", () => {
    const r = rulesOf({ sync: [{ from: ".", to: "/app" }] }, ["*.md", "!README.md"]);
    expect(planReload([change("README.md"), change("NOTES.md")], r)).toMatchObject({ kind: "sync", copies: [{ from: "README.md", to: "/app/README.md" }], ignored: ["NOTES.md"] });
  });

  it("carries afterSync", () => {
    const r = rulesOf({ sync: [{ from: "src", to: "/app/src" }], afterSync: { exec: ["kill", "-HUP", "1"] } });
    expect(planReload([change("src/x.js")], r)).toMatchObject({ kind: "sync", afterSync: { exec: ["kill", "-HUP", "1"] } });
  });

  it("afterSync restart syncs on both targets (the process restarts under the supervisor, not the container)", () => {
    const r = rulesOf({ sync: [{ from: "src", to: "/app/src" }], afterSync: "restart" });
    expect(planReload([change("src/x.js")], r, { target: "compose" })).toMatchObject({ kind: "sync", afterSync: "restart" });
    expect(planReload([change("src/x.js")], r, { target: "cluster" })).toMatchObject({ kind: "sync", afterSync: "restart" });
  });

  it("normalises windows separators and ./ prefixes", () => {
    expect(planReload([change("src\\a\\b.js"), change("./src/c.js")], rules)).toMatchObject({ copies: [{ to: "/app/src/a/b.js" }, { to: "/app/src/c.js" }] });
  });

  it("an empty batch does nothing", () => expect(planReload([], rules)).toEqual({ kind: "none", ignored: [] }));
});

describe("isInside", () => {
  it.each([
    ["/app/src/a.js", "/app", true],
    ["/app", "/app/", true],
    ["/application/x", "/app", false],
    ["/etc/passwd", "/app", false],
    ["/app/../etc", "/app", false],
    ["/anything", "/", true],
    ["/anything", "", true],
  ])("%s in %s → %s", (p, dir, want) => expect(isInside(p, dir)).toBe(want));
});


describe("syncRoot", () => {
  it.each([
    ["/app/api", "/app"],
    ["/app", "/app"],
    ["/srv/www/site/", "/srv"],
    ["/", "/"],
    ["", "/"],
  ])("workdir %s → %s", (wd, want) => expect(syncRoot(wd)).toBe(want));
});

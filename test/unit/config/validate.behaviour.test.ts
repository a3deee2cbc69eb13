// `devenv up` on a devenv.ts with many mistakes: every problem zod cannot see is listed, in the
// order of the file (cluster, images, manifests, compose, seeds, order, compare), each with the
// exact words and hint the user reads.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { envSchema } from "../../../src/config/schema.js";
import { badSyncTarget, orderCycle, semanticIssues } from "../../../src/config/validate.js";

const dir = mkdtempSync(join(tmpdir(), "devenv-validate-"));
mkdirSync(join(dir, "svc/src"), { recursive: true });
writeFileSync(join(dir, "svc/Dockerfile"), "FROM scratch\n");
mkdirSync(join(dir, "outside"));
symlinkSync(join(dir, "outside"), join(dir, "svc/link"));
symlinkSync(join(dir, "svc/src"), join(dir, "svc/inner"));

const issues = (raw: object) => semanticIssues(envSchema.parse({ name: "demo", ...raw }), dir).map((p) => [p.path.join("."), p.message, p.hint]);

describe("every problem, in order, in the user's words", () => {
  it("a devenv.ts with one of each mistake", () => {
    const raw = {
      cluster: { provider: "existing", ports: { http: 8080, https: 8080 }, registry: { name: "Bad_Name", port: 8080 }, mounts: [{ hostPath: "nomount", containerPath: "/m" }] },
      images: {
        api: { image: "demo/api:1", context: "svc", sync: [{ from: "/abs", to: "/etc" }, { from: "link", to: "/app/../x" }, { from: "src", to: "/app/src" }] },
        worker: { image: "demo/api:2", context: "svc", dockerfile: "Nope" },
        gone: { image: "demo/gone", context: "nodir" },
      },
      manifests: { files: ["a.yaml", "./a.yaml"] },
      compose: { files: ["c.yml", "c.yml"], envFile: ".env.x" },
      seeds: {
        postgres: { app: { database: "app", sql: ["s1.sql", "s2.sql"], migrate: { compose: "-bad" }, target: { compose: "_db" } }, two: { database: "d", sql: "one.sql" } },
        redis: { cache: { fixtures: "f.yaml" } },
      },
      order: { "job/a": { after: ["Deployment/b", "job/a", "nokind"] }, "deployment/b": { after: ["job/a"] } },
      compare: { ignore: ["env.extra", "nope.rule"], ignoreFor: { api: ["env", "env.valeu"] }, map: { db: "" } },
    };
    expect(issues(raw)).toEqual([
      ["cluster.context", "cluster.provider is \"existing\" but cluster.context is not set", "name the kube context to use (`kubectl config get-contexts` lists them)"],
      ["cluster.ports.https", "cluster.ports.http and cluster.ports.https are both 8080", "give HTTP and HTTPS different host ports, e.g. 8080 and 8443"],
      ["cluster.registry.name", "cluster.registry.name \"Bad_Name\" is not a DNS label", "use lower-case letters, digits and '-', at most 63 characters, starting and ending with a letter or digit (e.g. devenv-registry)"],
      ["cluster.registry.port", "cluster.registry.port 8080 is also an ingress port", "pick another registry port, e.g. 5001"],
      ["cluster.mounts.0.hostPath", `cluster.mounts[0].hostPath: not found: ${dir}/nomount`, "create the directory first (the node would mount an empty one the cluster's runtime makes as root), or fix the path: it is relative to the devenv.ts file"],
      ["images.api.sync.0.to", "images.api.sync[0].to \"/etc\" is the system directory /etc: syncing deletions there removes the container's own files", "sync into the application's own directory, e.g. /app/src"],
      ["images.api.sync.0.from", "images.api.sync[0].from must stay inside the build context", "write it relative to the context, without '..'"],
      ["images.api.sync.1.to", "images.api.sync[1].to \"/app/../x\" contains \"..\" (it normalises to /x, outside the directory it names)", "sync into the application's own directory, e.g. /app/src"],
      ["images.api.sync.1.from", `images.api.sync[1].from "link" is a symlink to ${dir}/outside, outside the build context ${dir}/svc`, "sync a directory that lives inside the context (the image build cannot see the symlink's target either)"],
      ["images.worker.dockerfile", `images.worker.dockerfile: ${dir}/svc/Nope not found`, "the dockerfile path is relative to the build context"],
      ["images.worker.image", "images.worker and images.api both build \"demo/api\"", "each image needs its own repository name"],
      ["images.gone.context", `images.gone.context: directory not found: ${dir}/nodir`, "the path is relative to the devenv.ts file"],
      ["manifests.files.0", `manifests.files[0]: not found: ${dir}/a.yaml`, undefined],
      ["manifests.files.1", `manifests.files[1]: not found: ${dir}/a.yaml`, undefined],
      ["manifests.files.1", "manifests.files[1] and manifests.files[0] are the same file (./a.yaml)", "list each manifest file once; applying it twice hides which copy wins"],
      ["compose.files.0", `compose.files[0]: not found: ${dir}/c.yml`, undefined],
      ["compose.files.1", `compose.files[1]: not found: ${dir}/c.yml`, undefined],
      ["compose.files.1", "compose.files[1] and compose.files[0] are the same file (c.yml)", "list each compose file once"],
      ["compose.envFile", `compose.envFile: not found: ${dir}/.env.x`, "copy the example env file, or remove compose.envFile"],
      ["seeds.postgres.app.sql.0", `seeds.postgres.app.sql: not found: ${dir}/s1.sql`, undefined],
      ["seeds.postgres.app.sql.1", `seeds.postgres.app.sql: not found: ${dir}/s2.sql`, undefined],
      ["seeds.postgres.app.migrate.compose", "seeds.postgres.app.migrate.compose \"-bad\" is not a compose service name", "a compose service name is letters, digits, '.', '_' and '-', starting with a letter or digit"],
      ["seeds.postgres.app.target.compose", "seeds.postgres.app.target.compose \"_db\" is not a compose service name", "a compose service name is letters, digits, '.', '_' and '-', starting with a letter or digit"],
      ["seeds.postgres.two.sql", `seeds.postgres.two.sql: not found: ${dir}/one.sql`, undefined],
      ["seeds.postgres.two.target", "seeds.postgres.two.target names neither a compose service nor a Kubernetes Service", "e.g. target: { compose: \"postgres\", service: \"postgres\", port: 5432 }"],
      ["seeds.redis.cache.fixtures", `seeds.redis.cache.fixtures: not found: ${dir}/f.yaml`, undefined],
      ["seeds.redis.cache.target", "seeds.redis.cache.target names neither a compose service nor a Kubernetes Service", "e.g. target: { compose: \"redis\", service: \"redis\", port: 6379 }"],
      ["order.job/a.after.1", "order[\"job/a\"] waits for itself", undefined],
      ["order.job/a.after.2", "order[\"job/a\"].after[2] is \"nokind\", expected kind/name", "e.g. statefulset/postgres"],
      ["order.job/a", "order hints form a cycle: job/a → deployment/b → job/a", "remove one of these `after` entries: each object in the cycle waits for the next"],
      ["compare.ignore.1", "compare.ignore[1] \"nope.rule\" is not a compare-compose rule", "use a rule id from `devenv compare-compose --json` (e.g. env.extra), a family (env), or env.NAME for one variable"],
      ["compare.ignoreFor.api.1", "compare.ignoreFor.api[1] \"env.valeu\" is not a compare-compose rule", "use a rule id from `devenv compare-compose --json` (e.g. env.extra), a family (env), or env.NAME for one variable"],
      ["compare.map.db", "compare.map.db is empty", undefined],
    ]);
  });
});

describe("what is accepted", () => {
  it("a correct devenv.ts has no problems", () => {
    mkdirSync(join(dir, "k8s"), { recursive: true });
    writeFileSync(join(dir, "k8s/kustomization.yaml"), "resources: []\n");
    writeFileSync(join(dir, "seed.sql"), "select 1;\n");
    writeFileSync(join(dir, "c.yml"), "services: {}\n");
    expect(
      issues({
        cluster: { provider: "existing", context: "kind-demo", registry: { enabled: false, port: 80 } },
        images: { api: { image: "demo/api", context: "svc", sync: [{ from: "inner", to: "/app/src/" }] }, web: { image: "demo/web", context: "svc" } },
        manifests: { kustomize: "k8s" },
        compose: { files: ["c.yml"] },
        seeds: { postgres: { app: { database: "app", sql: "seed.sql", target: { service: "postgres" }, migrate: { compose: "migrate.v1" } } } },
        order: { "deployment/web": { after: ["statefulset/pg", "job/migrate"] } },
        compare: { ignore: ["env", "env.DEBUG", "env.extra"], ignoreFor: { api: ["port"] }, map: { db: "statefulset/pg" } },
      }),
    ).toEqual([]);
  });
  it("an existing mount directory and redis fixtures listed one by one", () => {
    mkdirSync(join(dir, "mnt"), { recursive: true });
    writeFileSync(join(dir, "f1.yaml"), "[]\n");
    expect(issues({ cluster: { mounts: [{ hostPath: "mnt", containerPath: "/m" }] }, seeds: { redis: { cache: { fixtures: ["f1.yaml", "f2.yaml"], target: { compose: "redis" } } } } })).toEqual([
      ["seeds.redis.cache.fixtures.1", `seeds.redis.cache.fixtures: not found: ${join(dir, "f2.yaml")}`, undefined],
    ]);
  });
  it("image repositories are compared without the tag, a registry port is not a tag", () => {
    const img = (image: string) => ({ image, context: "svc" });
    expect(issues({ images: { a: img("localhost:5001/shop/api:1"), b: img("localhost:5001/shop/api:2") } }).map((p) => p[1])).toEqual(['images.b and images.a both build "localhost:5001/shop/api"']);
    expect(issues({ images: { a: img("localhost:5001/shop/api"), b: img("localhost:5001/shop/web") } })).toEqual([]);
  });
  it("a sync source with .. inside is refused like one starting with it", () => {
    expect(issues({ images: { api: { image: "demo/api", context: "svc", sync: [{ from: "src/../../etc", to: "/app" }] } } }).map((p) => p[0])).toEqual(["images.api.sync.0.from"]);
  });
  it("kustomization.yml and Kustomization are kustomize directories too", () => {
    for (const f of ["kustomization.yml", "Kustomization"]) {
      const k = mkdtempSync(join(dir, "kust-"));
      writeFileSync(join(k, f), "resources: []\n");
      expect(issues({ manifests: { kustomize: k } })).toEqual([]);
    }
  });
  it("a kustomize directory without a kustomization file, and a missing one", () => {
    mkdirSync(join(dir, "plain"), { recursive: true });
    expect(issues({ manifests: { kustomize: "plain" } })).toEqual([["manifests.kustomize", `manifests.kustomize: ${join(dir, "plain")} has no kustomization.yaml`, "point at a kustomize directory, or use manifests.files for plain YAML"]]);
    expect(issues({ manifests: { kustomize: "nothing" } })).toEqual([["manifests.kustomize", `manifests.kustomize: directory not found: ${join(dir, "nothing")}`, undefined]]);
  });
  it("a build context that is a file is not a directory", () => {
    expect(issues({ images: { api: { image: "demo/api", context: "svc/Dockerfile" } } })).toEqual([["images.api.context", `images.api.context: directory not found: ${join(dir, "svc/Dockerfile")}`, "the path is relative to the devenv.ts file"]]);
  });
  it("a registry on an ingress port is fine when the registry is off; the https port counts too", () => {
    expect(issues({ cluster: { registry: { enabled: false, port: 443 } } })).toEqual([]);
    expect(issues({ cluster: { registry: { port: 443 } } }).map((p) => p[0])).toEqual(["cluster.registry.port"]);
  });
});

describe("sync targets", () => {
  it.each([
    ["/", "is the container's root: syncing deletions there removes the container's own files"],
    ["/usr/", "is the system directory /usr: syncing deletions there removes the container's own files"],
    ["//var", "is the system directory /var: syncing deletions there removes the container's own files"],
    ["/app/..", 'contains ".." (it normalises to /, outside the directory it names)'],
  ])("%s is refused", (to, why) => expect(badSyncTarget(to)).toBe(why));
  it.each(["/app", "/usr/src/app", "/var/www", "relative/path", "/app/.hidden", "/app/..x"])("%s is accepted", (to) => expect(badSyncTarget(to)).toBeUndefined());
});

describe("orderCycle", () => {
  it("a self-wait is not reported as a cycle (it has its own message)", () => {
    expect(orderCycle({ "job/a": { after: ["job/a"] } })).toBeUndefined();
  });
  it("a longer cycle is shown closed, names as the user wrote the hints", () => {
    expect(orderCycle({ "Job/A": { after: ["deployment/b"] }, "deployment/b": { after: ["statefulset/c"] }, "statefulset/c": { after: ["job/a"] } })).toEqual(["Job/A", "deployment/b", "statefulset/c", "Job/A"]);
  });
  it("a diamond (two paths to one object) is no cycle", () => {
    expect(orderCycle({ "job/d": { after: ["job/b", "job/c"] }, "job/b": { after: ["job/a"] }, "job/c": { after: ["job/a"] } })).toBeUndefined();
  });
  it("a cycle reached only from a later hint is found", () => {
    expect(orderCycle({ "job/x": { after: ["job/y"] }, "job/p": { after: ["job/q"] }, "job/q": { after: ["job/p"] } })).toEqual(["job/p", "job/q", "job/p"]);
  });
});

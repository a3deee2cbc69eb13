// Each malformed devenv.ts gives one clear message naming the field, and where it is written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadEnv } from "../../../src/config/load.js";
import { DevenvError } from "../../../src/errors/devenv-error.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "devenv-config-"));
  mkdirSync(join(dir, "svc"));
  writeFileSync(join(dir, "svc", "Dockerfile"), "FROM scratch\n");
  mkdirSync(join(dir, "nokust"));
  mkdirSync(join(dir, "seed"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Loads a devenv.ts whose body (after `name: "demo",` on line 2) is `body`. */
const loadBody = (body: string) => loadRaw(`export default {\n  name: "demo",\n${body}\n};\n`);

const cases: [string, string, RegExp, RegExp][] = [
  // [case, devenv.ts body, expected message, expected where]
  ["unknown provider", `  cluster: { provider: "minikube" },`, /cluster\.provider is "minikube", expected one of: "kind", "k3d", "existing"/, /:3:\d+ \(cluster\.provider\)/],
  ["port out of range", `  cluster: {\n    ports: { http: 70000 },\n  },`, /cluster\.ports\.http: a port is 1-65535/, /:4:\d+ \(cluster\.ports\.http\)/],
  ["same http and https port", `  cluster: { ports: { http: 8080, https: 8080 } },`, /both 8080/, /cluster\.ports\.https/],
  ["wrong type", `  cluster: { workers: "two" },`, /cluster\.workers must be number, not string/, /cluster\.workers/],
  ["unknown top-level field", `  imagez: {},`, /unknown field "imagez"/, /top level|imagez/],
  ["unknown nested field", `  cluster: { nodez: 3 },`, /unknown field "nodez" in cluster/, /cluster/],
  ["existing without context", `  cluster: { provider: "existing" },`, /cluster\.context is not set/, /cluster/],
  ["bad environment name", ``.replace("", ""), /./, /./], // replaced below
  ["missing context directory", `  images: { api: { image: "demo/api", context: "nope" } },`, /images\.api\.context: directory not found/, /images\.api\.context/],
  ["missing dockerfile", `  images: { api: { image: "demo/api", context: "svc", dockerfile: "Dockerfile.prod" } },`, /images\.api\.dockerfile: .*Dockerfile\.prod not found/, /images\.api\.dockerfile/],
  ["duplicate image names", `  images: {\n    api: { image: "demo/api", context: "svc" },\n    worker: { image: "demo/api:2", context: "svc" },\n  },`, /images\.worker and images\.api both build "demo\/api"/, /:5:\d+ \(images\.worker\.image\)/],
  ["relative sync target", `  images: { api: { image: "demo/api", context: "svc", sync: [{ from: "src", to: "app/src" }] } },`, /images\.api\.sync\.0\.to: must be an absolute path/, /images\.api\.sync/],
  ["sync source escaping the context", `  images: { api: { image: "demo/api", context: "svc", sync: [{ from: "../x", to: "/app" }] } },`, /must stay inside the build context/, /images\.api\.sync/],
  ["missing kustomize directory", `  manifests: { kustomize: "k8s/overlays/dev" },`, /manifests\.kustomize: directory not found/, /manifests\.kustomize/],
  ["kustomize directory without kustomization", `  manifests: { kustomize: "nokust" },`, /has no kustomization\.yaml/, /manifests\.kustomize/],
  ["manifests of neither shape", `  manifests: { helm: "chart" },`, /manifests has none of the accepted shapes/, /manifests/],
  ["missing compose file", `  compose: { files: ["docker-compose.yml"] },`, /compose\.files\[0\]: not found/, /compose\.files/],
  ["missing seed sql", `  seeds: { postgres: { app: { database: "app", sql: "seed/missing.sql", target: { compose: "db" } } } },`, /seeds\.postgres\.app\.sql: not found/, /seeds\.postgres\.app\.sql/],
  ["seed without a target", `  seeds: { redis: { cache: { fixtures: "seed" } } },`, /names neither a compose service nor a Kubernetes Service/, /seeds\.redis\.cache\.target/],
  ["bad order hint", `  order: { "migrate": { after: ["statefulset/postgres"] } },`, /must be kind\/name/, /order/],
  ["build arg of the wrong type", `  images: { api: { image: "demo/api", context: "svc", buildArgs: { N: 1 } } },`, /images\.api\.buildArgs\.N must be string, not number/, /buildArgs/],
  ["empty image list item", `  compose: { files: [] },`, /compose\.files: Array must contain at least 1/, /compose\.files/],
];
cases[7] = ["bad environment name", "", /name: must be a DNS-1123 label/, /\(name\)/];

describe("malformed devenv.ts", () => {
  it.each(cases)("%s", async (label, body, message, where) => {
    const e = label === "bad environment name" ? await loadRaw(`export default { name: "My_Env" };\n`) : await loadBody(body);
    expect(e.message).toMatch(message);
    expect(e.where ?? "").toMatch(where);
    expect(e.exitCode).toBe(2);
  });

  it("a TypeScript syntax error points at file:line:col", async () => {
    const e = await loadRaw(`export default {\n  name: "demo",\n  cluster: { provider: "kind" ,, },\n};\n`);
    expect(e.message).toMatch(/cannot load/);
    expect(e.where).toMatch(/:3:\d+$/);
  });

  it("a file without a default export says how to write one", async () => {
    const e = await loadRaw(`export const env = { name: "demo" };\n`);
    expect(e.message).toMatch(/no default export/);
    expect(e.hint).toMatch(/export default defineEnv/);
  });

  it("a missing file suggests devenv init", async () => {
    await expect(loadEnv("nope.ts", dir)).rejects.toMatchObject({ message: /environment file not found/, hint: /devenv init/ });
  });

  it("a malformed DEVENV_IMAGE_OVERRIDES is named", async () => {
    process.env.DEVENV_IMAGE_OVERRIDES = "postgres:16";
    try {
      const e = await loadRaw(`export default { name: "demo" };\n`);
      expect(e.message).toMatch(/DEVENV_IMAGE_OVERRIDES has a malformed entry "postgres:16"/);
    } finally {
      delete process.env.DEVENV_IMAGE_OVERRIDES;
    }
  });
});

async function loadRaw(text: string): Promise<DevenvError> {
  const file = join(dir, `raw-${++n}.ts`);
  writeFileSync(file, text);
  try {
    await loadEnv(file, dir);
  } catch (e) {
    expect(e).toBeInstanceOf(DevenvError);
    return e as DevenvError;
  }
  throw new Error("expected the config to be rejected");
}

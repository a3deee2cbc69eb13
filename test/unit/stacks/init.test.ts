// `devenv init` on copies of both stacks: finds the compose file, the dev overlay and the
// Dockerfiles, takes build contexts from the compose file's `build:` (these Dockerfiles copy
// from their parent folder), and the starter it writes validates as an environment.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findProjectFiles, starterEnv, starterImages } from "../../../src/init/starter.js";
import { validateStarter as validate } from "../init/validate-starter.js";
import { repoRoot } from "../../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "devenv-init-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Copies repo paths into a fresh project folder named `name`. */
function project(name: string, paths: [from: string, to: string][]): string {
  const root = join(dir, name);
  for (const [from, to] of paths) cpSync(join(repoRoot, from), join(root, to), { recursive: true, filter: (src) => !src.endsWith("devenv.ts") });
  return root;
}

describe("devenv init", () => {
  const codebeaker = project("CodeBeaker", [["fixtures/codebeaker", "."]]);
  const agentforge = project("agentforge", [["compose", "compose"], ["fixtures/agentforge", "fixtures/agentforge"]]);

  it("finds compose files, the dev overlay first, and the Dockerfiles", () => {
    const f = findProjectFiles(codebeaker);
    expect(f).toMatchObject({ name: "codebeaker", composeFiles: ["compose/docker-compose.yml"], dockerfiles: ["services/api/Dockerfile", "services/worker/Dockerfile"] });
    expect(f.kustomizeDirs[0]).toBe("k8s/overlays/dev");
  });

  it("CodeBeaker: contexts and image names come from the compose builds; the starter validates", () => {
    const f = findProjectFiles(codebeaker);
    expect(f.images).toEqual([
      { name: "api", image: "codebeaker/api", context: "services", dockerfile: "api/Dockerfile" },
      { name: "worker", image: "codebeaker/worker", context: "services", dockerfile: "worker/Dockerfile" },
    ]);
    const env = validate(codebeaker, starterEnv(f));
    expect(Object.keys(env.config.images)).toEqual(["api", "worker"]);
    expect(env.config.compose).toMatchObject({ files: ["compose/docker-compose.yml"] });
  });

  it("AgentForge: reads the compose file with .env.example (its ${VAR:?} need values), one image per build, migrate reuses backend's", () => {
    const f = findProjectFiles(agentforge);
    expect(f.composeProblem).toBeUndefined();
    expect(f.composeEnvFile).toBe("compose/.env.example");
    expect(f.kustomizeDirs[0]).toBe("fixtures/agentforge/k8s/overlays/dev");
    expect(f.images).toEqual(
      ["backend", "data-collector", "frontend"].map((n) => ({ name: n, image: `agentforge/${n}`, context: "fixtures/agentforge/services", dockerfile: `${n}/Dockerfile` })),
    );
    const env = validate(agentforge, starterEnv(f));
    expect(env.config.compose).toMatchObject({ files: ["compose/docker-compose.yml"], envFile: "compose/.env.example" });
  });

  it("an unreadable compose file falls back to the Dockerfiles' folders and says why in the starter", () => {
    const root = join(dir, "broken");
    mkdirSync(join(root, "web"), { recursive: true });
    writeFileSync(join(root, "web", "Dockerfile"), "FROM scratch\n");
    writeFileSync(join(root, "docker-compose.yml"), "services:\n  web:\n    image: ${IMAGE:?set IMAGE}\n    build: web\n");
    const f = findProjectFiles(root);
    expect(f.images).toEqual([{ name: "web", image: "broken/web", context: "web", dockerfile: "Dockerfile" }]);
    expect(f.composeProblem).toMatch(/IMAGE/);
    expect(starterEnv(f)).toMatch(/\/\/ Build contexts are the Dockerfiles' folders: docker-compose.yml could not be read \(.*IMAGE/);
  });

  it("starterImages: a Dockerfile no compose service builds is an image only when a manifest names it; a clashing name takes its path", () => {
    const build = (context: string, dockerfile = "Dockerfile") => ({ context: join("/p", context), dockerfile, args: {} });
    const services = [{ name: "web", build: build("web") }, { name: "web-worker", image: "shop/web:1.2", build: build("web") }, { name: "remote", build: { context: "https://github.com/x/y.git", dockerfile: "Dockerfile", args: {} } }];
    const dockerfiles = ["web/Dockerfile", "tools/Dockerfile", "ops/web/Dockerfile"];
    expect(starterImages("/p", "shop", services, dockerfiles)).toEqual([{ name: "web", image: "shop/web", context: "web", dockerfile: "Dockerfile" }]);
    expect(starterImages("/p", "shop", services, dockerfiles, ["registry.example/shop/tools:1", "postgres:16"])).toEqual([
      { name: "web", image: "shop/web", context: "web", dockerfile: "Dockerfile" },
      { name: "tools", image: "registry.example/shop/tools", context: "tools", dockerfile: "Dockerfile" },
    ]);
    // Without compose services and manifest images, every Dockerfile is an image.
    expect(starterImages("/p", "shop", [], dockerfiles)).toEqual([
      { name: "web", image: "shop/web", context: "web", dockerfile: "Dockerfile" },
      { name: "tools", image: "shop/tools", context: "tools", dockerfile: "Dockerfile" },
      { name: "ops-web", image: "shop/ops-web", context: "ops/web", dockerfile: "Dockerfile" },
    ]);
  });
});

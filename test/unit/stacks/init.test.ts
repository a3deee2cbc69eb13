// `devenv init` on the CodeBeaker fixture: finds its compose file, the dev overlay and both
// Dockerfiles; the starter it writes loads as a valid environment.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findProjectFiles, starterEnv } from "../../../src/init/starter.js";
import { validateEnv } from "../../../src/config/load.js";
import { repoRoot } from "../../helpers/cli.js";

describe("devenv init", () => {
  const dir = mkdtempSync(join(tmpdir(), "devenv-init-"));
  const project = join(dir, "CodeBeaker");
  cpSync(join(repoRoot, "fixtures/codebeaker"), project, { recursive: true });
  rmSync(join(project, "devenv.ts"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("finds compose files, the dev overlay first, and the Dockerfiles", () => {
    const f = findProjectFiles(project);
    expect(f).toMatchObject({ name: "codebeaker", composeFiles: ["compose/docker-compose.yml"], dockerfiles: ["services/api/Dockerfile", "services/worker/Dockerfile"] });
    expect(f.kustomizeDirs[0]).toBe("k8s/overlays/dev");
  });

  it("writes a starter that validates (with the defineEnv call replaced by its object)", () => {
    const text = starterEnv(findProjectFiles(project));
    const file = join(project, "devenv.ts");
    writeFileSync(file, text);
    const obj = new Function(`return ${text.slice(text.indexOf("defineEnv(") + 10, text.lastIndexOf(")"))}`)();
    const env = validateEnv(obj, file, text);
    expect(Object.keys(env.config.images)).toEqual(["api", "worker"]);
    expect(env.config.images.api).toMatchObject({ context: "services/api", image: "codebeaker/api" });
  });
});

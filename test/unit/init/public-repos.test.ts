// `devenv init` on fixtures that reproduce public repositories (docs/onboarding.md lists each as
// repo@commit): compose's own file rules, plain manifest folders, kustomize overlays, Helm charts,
// images named as the manifests name them, unrelated Dockerfiles left out, `.devenv/` ignored.
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { chooseCompose, chosenManifests, findProjectFiles, ignoreStateDir, manifestImageFor, starterEnv } from "../../../src/init/starter.js";
import { validateStarter as validate } from "./validate-starter.js";
import { repoRoot } from "../../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "devenv-init-public-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fixture(name: string): string {
  const root = join(dir, name);
  cpSync(join(repoRoot, "test/fixtures/init", name), root, { recursive: true });
  return root;
}

describe("chooseCompose: compose's own rules", () => {
  it("compose.yaml before compose.yml before docker-compose.yml before docker-compose.yaml, plus the override beside it", () => {
    expect(chooseCompose(["docker-compose.yaml", "docker-compose.yml", "compose.yml"]).chosen).toEqual(["compose.yml"]);
    expect(chooseCompose(["docker-compose.yaml", "docker-compose.yml"]).chosen).toEqual(["docker-compose.yml"]);
    expect(chooseCompose(["compose.yaml", "compose.override.yaml", "docker-compose.logging.yml"])).toEqual({ chosen: ["compose.yaml", "compose.override.yaml"], others: ["docker-compose.logging.yml"] });
  });
  it("other compose files are options, never the base; a sub-project's compose file is not the project's", () => {
    expect(chooseCompose(["docker-compose.images.yml", "docker-compose.logging.yml"])).toEqual({ chosen: [], others: ["docker-compose.images.yml", "docker-compose.logging.yml"] });
    expect(chooseCompose(["otel/docker-compose.yaml"]).chosen).toEqual([]);
    expect(chooseCompose(["compose/docker-compose.yml", "otel/compose.yaml"]).chosen).toEqual(["compose/docker-compose.yml"]);
  });
});

describe("manifestImageFor", () => {
  it("matches the last path segment, exactly first, then as a _name / -name suffix; ignores generic folder names", () => {
    expect(manifestImageFor(["vote"], ["dockersamples/examplevotingapp_vote", "redis:alpine"])).toBe("dockersamples/examplevotingapp_vote");
    expect(manifestImageFor(["src", "cartservice"], ["cartservice", "adservice"])).toBe("cartservice");
    expect(manifestImageFor(["podinfo"], ["ghcr.io/stefanprodan/podinfo:6.14.1"])).toBe("ghcr.io/stefanprodan/podinfo");
    expect(manifestImageFor(["src"], ["src"])).toBeUndefined();
  });
});

describe("devenv init on reproductions of public repositories", () => {
  it("dockersamples/example-voting-app: docker-compose.yml, the plain k8s-specifications folder, images named as the manifests name them", () => {
    const root = fixture("voting");
    const f = findProjectFiles(root);
    expect(f.composeFiles).toEqual(["docker-compose.yml"]);
    expect(f.otherComposeFiles).toEqual(["docker-compose.images.yml", "result/docker-compose.test.yml"]);
    expect(chosenManifests(f)).toEqual({ files: ["k8s-specifications"] });
    expect(f.images).toEqual(["vote", "result", "worker"].map((n) => ({ name: n, image: `dockersamples/examplevotingapp_${n}`, context: n, dockerfile: "Dockerfile" })));
    // The test image and the profiled seed are not images of the environment.
    expect(f.unusedDockerfiles).toEqual(["result/tests/Dockerfile", "seed-data/Dockerfile"]);
    const text = starterEnv(f);
    expect(text).toContain('// compose: { files: ["docker-compose.yml", "docker-compose.images.yml"] },');
    expect(validate(root, text).config.manifests).toEqual({ files: ["k8s-specifications"] });
  });

  it("GoogleCloudPlatform/microservices-demo: the kustomize folder, components are not plain folders, the Helm chart is noted, a debug Dockerfile is not a second image", () => {
    const root = fixture("boutique");
    const f = findProjectFiles(root);
    expect(f.composeFiles).toEqual([]);
    expect(f.kustomizeDirs).toEqual(["kubernetes-manifests", "kustomize/base"]);
    expect(f.manifestDirs).toEqual([]);
    expect(f.helmCharts).toEqual(["helm-chart"]);
    expect(f.images.map((i) => [i.name, i.image, i.context])).toEqual([
      ["adservice", "adservice", "src/adservice"],
      ["cartservice", "cartservice", "src/cartservice/src"],
      ["emailservice", "emailservice", "src/emailservice"],
    ]);
    expect(f.unusedDockerfiles).toEqual(["src/cartservice/src/Dockerfile.debug"]);
    const text = starterEnv(f);
    expect(text).toMatch(/\/\/ Helm chart helm-chart: devenv applies YAML, so render it first: `helm template boutique helm-chart/);
    expect(validate(root, text).config.manifests).toEqual({ kustomize: "kubernetes-manifests" });
  });

  it("stefanprodan/podinfo: the dev overlay first, the root Dockerfile named as the manifests and the chart name it, otel/'s compose file only an option", () => {
    const root = fixture("podinfo");
    const f = findProjectFiles(root);
    expect(f.kustomizeDirs[0]).toBe("deploy/overlays/dev");
    expect(f.composeFiles).toEqual([]);
    expect(f.otherComposeFiles).toEqual(["otel/docker-compose.yaml"]);
    expect(f.images).toEqual([{ name: "podinfo", image: "ghcr.io/stefanprodan/podinfo", context: ".", dockerfile: "Dockerfile" }]);
    validate(root, starterEnv(f));
  });

  it("fastapi/full-stack-fastapi-template: compose.yml + compose.override.yml, compose.deploy.yml an option, images from both", () => {
    const root = fixture("fastapi");
    const f = findProjectFiles(root);
    expect(f.composeFiles).toEqual(["compose.yml", "compose.override.yml"]);
    expect(f.otherComposeFiles).toEqual(["compose.deploy.yml"]);
    expect(f.images.map((i) => [i.name, i.image, i.dockerfile])).toEqual([
      ["backend", "backend", "backend/Dockerfile"],
      ["playwright", "fastapi/playwright", "frontend/Dockerfile.playwright"],
    ]);
    expect(validate(root, starterEnv(f)).config.compose).toMatchObject({ files: ["compose.yml", "compose.override.yml"] });
  });

  it("Azure-Samples/azure-voting-app-redis: docker-compose.yaml, the Kubernetes YAML file at the root as the manifests", () => {
    const root = fixture("azure-vote");
    const f = findProjectFiles(root);
    expect(f.composeFiles).toEqual(["docker-compose.yaml"]);
    expect(chosenManifests(f)).toEqual({ files: ["azure-vote-all-in-one-redis.yaml"] });
    expect(f.images).toEqual([{ name: "azure-vote-front", image: "mcr.microsoft.com/azuredocs/azure-vote-front", context: "azure-vote", dockerfile: "Dockerfile" }]);
    validate(root, starterEnv(f));
  });

  it("python-app (the onboarding case): compose.yaml + its override, docker-compose.logging.yml an option, k8s/ plain, tools/Dockerfile not an image", () => {
    const root = fixture("python-app");
    const f = findProjectFiles(root);
    expect(f.composeFiles).toEqual(["compose.yaml", "compose.override.yaml"]);
    expect(f.otherComposeFiles).toEqual(["docker-compose.logging.yml"]);
    expect(chosenManifests(f)).toEqual({ files: ["k8s"] });
    expect(f.images).toEqual([{ name: "api", image: "pyshop/api", context: "app", dockerfile: "Dockerfile" }]);
    expect(f.unusedDockerfiles).toEqual(["tools/Dockerfile"]);
    validate(root, starterEnv(f));
  });
});

describe("ignoreStateDir", () => {
  it("creates .gitignore, appends to one without a final newline, and never duplicates", () => {
    const fresh = fixture("python-app");
    expect(ignoreStateDir(fresh)).toBe("created");
    expect(ignoreStateDir(fresh)).toBe("present");
    expect(readFileSync(join(fresh, ".gitignore"), "utf8").match(/^\.devenv\/$/gm)).toHaveLength(1);
    const podinfo = fixture("podinfo");
    expect(ignoreStateDir(podinfo)).toBe("added");
    expect(readFileSync(join(podinfo, ".gitignore"), "utf8")).toMatch(/\*\.key\n# devenv's state.*\n\.devenv\/\n$/);
    expect(ignoreStateDir(fixture("fastapi"))).toBe("present");
  });
});

// Content tags pile up: `devenv down` keeps the newest 3 `devenv-<hash>` tags per image repository
// and removes the others, never one whose image a container uses, and says so. Real engine, a tiny
// local image built five times.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { devenv } from "../../helpers/cli.js";
import { describeDocker, LOCAL_IMAGES, LOCAL_OVERRIDES } from "../../helpers/docker.js";
import { docker } from "../../../src/docker/client.js";

const repo = `devenv-prune-${process.pid}/app`;
const root = mkdtempSync(join(tmpdir(), "devenv-prune-"));
const tags = ["a", "b", "c", "d", "e"].map((c) => `${repo}:devenv-${c.repeat(12)}`); // oldest first
let container: string | undefined;

writeFileSync(join(root, "Dockerfile"), `FROM ${LOCAL_IMAGES.debian}\n`);
writeFileSync(join(root, "compose.yaml"), `services:\n  app:\n    image: ${repo}\n`);
writeFileSync(join(root, "devenv.ts"), `import { defineEnv } from "devenv-k8s";\nexport default defineEnv({ name: "prune-${process.pid}", images: { app: { image: "${repo}", context: "." } }, compose: { files: ["compose.yaml"] } });\n`);

async function tagsLeft(): Promise<string[]> {
  const r = await execa("docker", ["images", "--format", "{{.Repository}}:{{.Tag}}", repo]);
  return String(r.stdout).split("\n").filter(Boolean).sort();
}

describeDocker("devenv down prunes old content tags (real engine)", () => {
  beforeAll(async () => {
    for (const [i, tag] of tags.entries()) {
      // A distinct image per tag, created a second apart (Created has second resolution).
      await execa("docker", ["build", "-q", "-t", tag, "-"], { input: `FROM ${LOCAL_IMAGES.debian}\nLABEL devenv.test.n=${i}\n` });
      await new Promise((r) => setTimeout(r, 1100));
    }
    // The oldest tag's image is used by a (stopped) container: it must stay.
    const d = await docker();
    container = await d.containers.create({ Image: tags[0]!, Cmd: ["true"], Labels: { "devenv.test": "prune" } });
  });
  afterAll(async () => {
    const d = await docker();
    if (container) await d.containers.remove(container, { force: true }).catch(() => undefined);
    for (const t of tags) await d.images.remove(t, { force: true }).catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  });

  it("keeps the newest 3 and the one a container uses, removes the rest, and says it", async () => {
    expect(await tagsLeft()).toEqual([...tags].sort());
    const r = await devenv(["down", "--target", "compose"], { cwd: root, env: { DEVENV_IMAGE_OVERRIDES: LOCAL_OVERRIDES } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`✓ removed 1 old content tag (kept the newest 3 per image): ${tags[1]}; kept 1 a container uses: ${tags[0]}`);
    expect(await tagsLeft()).toEqual([tags[0], tags[2], tags[3], tags[4]].sort());
    // Nothing more to do the second time: no line about tags beyond the one in use.
    const again = await devenv(["down", "--target", "compose"], { cwd: root, env: { DEVENV_IMAGE_OVERRIDES: LOCAL_OVERRIDES } });
    expect(again.stderr).toContain(`✓ removed 0 old content tags (kept the newest 3 per image); kept 1 a container uses: ${tags[0]}`);
  });
});

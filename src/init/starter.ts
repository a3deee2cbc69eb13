// `devenv init`: find the compose files, a kustomize directory and the Dockerfiles of a project
// (findProjectFiles), then write a starter devenv.ts from them (starterEnv, pure). Build contexts
// come from the compose file's `build:` where it names them: a Dockerfile that copies from a
// parent folder needs that folder as context, which its own location does not tell.
import { existsSync, readdirSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { loadCompose } from "../compose/load.js";
import type { ComposeService } from "../compose/model.js";
import { repositoryOf } from "../images/refs.js";

/** One image of the starter. */
export interface StarterImage {
  name: string;
  image: string;
  /** Build context, relative to the project. */
  context: string;
  /** Dockerfile, relative to the context. */
  dockerfile: string;
}

export interface ProjectFiles {
  /** Directory name, used as the environment name. */
  name: string;
  composeFiles: string[];
  /** Kustomize directories, best first (an overlays/dev, else the shallowest). */
  kustomizeDirs: string[];
  /** Dockerfiles, relative to the project. */
  dockerfiles: string[];
  /** Interpolation file of the first compose file when it is not the default `.env` (e.g. `.env.example`). */
  composeEnvFile?: string;
  /** Images: compose `build:` sections first, then Dockerfiles no compose service builds. */
  images: StarterImage[];
  /** Why the compose file could not be read for build contexts, if it could not. */
  composeProblem?: string;
}

const SKIP = new Set(["node_modules", ".git", ".devenv", "dist", "vendor", ".venv"]);
const COMPOSE = /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/;

/** Walks the project (6 levels deep, skipping dependency and build directories). */
export function findProjectFiles(root: string): ProjectFiles {
  const all: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && !SKIP.has(e.name) && depth < 6) walk(join(dir, e.name), depth + 1);
      else if (e.isFile()) all.push(relative(root, join(dir, e.name)));
    }
  };
  walk(root, 0);
  const depth = (p: string) => p.split("/").length;
  const score = (d: string) => (/overlays\/dev$/.test(d) ? 0 : /overlays\//.test(d) ? 2 : 1) * 10 + depth(d);
  const name = sanitize(basename(root));
  const composeFiles = all.filter((f) => COMPOSE.test(basename(f)) && !/override/.test(f)).sort((a, b) => depth(a) - depth(b));
  const dockerfiles = all.filter((f) => basename(f) === "Dockerfile" || basename(f).startsWith("Dockerfile.")).sort();
  const compose = composeFiles[0] ? composeBuilds(root, composeFiles[0]) : { services: [] };
  return {
    name,
    composeFiles,
    kustomizeDirs: all.filter((f) => basename(f) === "kustomization.yaml").map((f) => dirname(f)).sort((a, b) => score(a) - score(b)),
    dockerfiles,
    composeEnvFile: compose.envFile,
    images: starterImages(root, name, compose.services, dockerfiles),
    composeProblem: compose.problem,
  };
}

/**
 * The services of a compose file, read with devenv's compose reader. Variables come from `.env`
 * beside it, else `.env.example` (a `${VAR:?}` would otherwise stop the read); a file that still
 * cannot be read leaves the contexts to the Dockerfiles' folders, with the reason.
 */
function composeBuilds(root: string, file: string): { services: Pick<ComposeService, "name" | "image" | "build">[]; envFile?: string; problem?: string } {
  const example = join(dirname(file), ".env.example");
  const envFile = !existsSync(join(root, dirname(file), ".env")) && existsSync(join(root, example)) ? example : undefined;
  try {
    return { services: Object.values(loadCompose({ files: [file], cwd: root, envFile, profiles: [] }).services), envFile };
  } catch (e) {
    return { services: [], envFile, problem: e instanceof Error ? e.message : String(e) };
  }
}

/** Images from compose builds (one per context + Dockerfile), then from the other Dockerfiles. Pure. */
export function starterImages(root: string, project: string, services: Pick<ComposeService, "name" | "image" | "build">[], dockerfiles: string[]): StarterImage[] {
  const out: StarterImage[] = [];
  const covered = new Set<string>();
  for (const svc of services) {
    if (!svc.build || /^[a-z]+:\/\//.test(svc.build.context)) continue;
    const file = resolve(svc.build.context, svc.build.dockerfile);
    if (covered.has(file)) continue;
    covered.add(file);
    const name = sanitize(svc.name);
    out.push({ name, image: (svc.image && repositoryOf(svc.image)) ?? `${project}/${name}`, context: relative(root, svc.build.context) || ".", dockerfile: svc.build.dockerfile });
  }
  for (const f of dockerfiles) {
    if (covered.has(resolve(root, f))) continue;
    const dir = dirname(f);
    const short = sanitize(dir === "." ? project : basename(dir));
    const name = out.some((i) => i.name === short) ? sanitize(dir) : short;
    out.push({ name, image: `${project}/${name}`, context: dir, dockerfile: basename(f) });
  }
  return out;
}

function sanitize(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63) || "app";
}

/** The starter devenv.ts text. Pure. */
export function starterEnv(p: ProjectFiles): string {
  const images = p.images.map((i) => `    ${JSON.stringify(i.name)}: { image: ${JSON.stringify(i.image)}, context: ${JSON.stringify(i.context)}, dockerfile: ${JSON.stringify(i.dockerfile)} },`);
  const compose = p.composeFiles[0] && `files: [${JSON.stringify(p.composeFiles[0])}]${p.composeEnvFile ? `, envFile: ${JSON.stringify(p.composeEnvFile)}` : ""}`;
  const lines = [
    `// Starter environment written by \`devenv init\` from the files found here: check every path, then run`,
    `// \`devenv up --dry-run\`. Fields are documented in the README (Environment definition).`,
    `import { defineEnv } from "devenv";`,
    ``,
    `export default defineEnv({`,
    `  name: ${JSON.stringify(p.name)},`,
    `  cluster: { provider: "kind", name: "devenv" },`,
    ...(p.composeProblem ? [`  // Build contexts are the Dockerfiles' folders: ${p.composeFiles[0]} could not be read (${p.composeProblem.split("\n")[0]}).`] : []),
    `  images: {`,
    ...(images.length ? images : [`    // e.g. api: { image: "${p.name}/api", context: "services/api" },`]),
    `  },`,
    p.kustomizeDirs[0] ? `  manifests: { kustomize: ${JSON.stringify(p.kustomizeDirs[0])} },` : `  // manifests: { kustomize: "k8s/overlays/dev" },`,
    compose ? `  compose: { ${compose} },` : `  // compose: { files: ["docker-compose.yml"] },`,
    `});`,
    ``,
  ];
  return lines.join("\n");
}

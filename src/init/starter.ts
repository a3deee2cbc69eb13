// `devenv init`: find the compose files, a kustomize directory and the Dockerfiles of a project
// (findProjectFiles), then write a starter devenv.ts from them (starterEnv, pure).
import { readdirSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";

export interface ProjectFiles {
  /** Directory name, used as the environment name. */
  name: string;
  composeFiles: string[];
  /** Kustomize directories, best first (an overlays/dev, else the shallowest). */
  kustomizeDirs: string[];
  /** Dockerfiles, relative to the project. */
  dockerfiles: string[];
}

const SKIP = new Set(["node_modules", ".git", ".devenv", "dist", "vendor", ".venv"]);
const COMPOSE = /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/;

/** Walks the project (4 levels deep, skipping dependency and build directories). */
export function findProjectFiles(root: string): ProjectFiles {
  const all: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && !SKIP.has(e.name) && depth < 4) walk(join(dir, e.name), depth + 1);
      else if (e.isFile()) all.push(relative(root, join(dir, e.name)));
    }
  };
  walk(root, 0);
  const depth = (p: string) => p.split("/").length;
  const score = (d: string) => (/overlays\/dev$/.test(d) ? 0 : /overlays\//.test(d) ? 2 : 1) * 10 + depth(d);
  return {
    name: sanitize(basename(root)),
    composeFiles: all.filter((f) => COMPOSE.test(basename(f)) && !/override/.test(f)).sort((a, b) => depth(a) - depth(b)),
    kustomizeDirs: all.filter((f) => basename(f) === "kustomization.yaml").map((f) => dirname(f)).sort((a, b) => score(a) - score(b)),
    dockerfiles: all.filter((f) => basename(f) === "Dockerfile" || basename(f).startsWith("Dockerfile.")).sort(),
  };
}

function sanitize(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63) || "app";
}

/** The starter devenv.ts text. Pure. */
export function starterEnv(p: ProjectFiles): string {
  const images = p.dockerfiles.map((f) => {
    const dir = dirname(f);
    const name = sanitize(dir === "." ? p.name : basename(dir));
    return `    ${JSON.stringify(name)}: { image: ${JSON.stringify(`${p.name}/${name}`)}, context: ${JSON.stringify(dir)}, dockerfile: ${JSON.stringify(basename(f))} },`;
  });
  const lines = [
    `// Starter environment written by \`devenv init\` from the files found here: check every path, then run`,
    `// \`devenv up --dry-run\`. Fields are documented in the README (Environment definition).`,
    `import { defineEnv } from "devenv";`,
    ``,
    `export default defineEnv({`,
    `  name: ${JSON.stringify(p.name)},`,
    `  cluster: { provider: "kind", name: "devenv" },`,
    `  images: {`,
    ...(images.length ? images : [`    // e.g. api: { image: "${p.name}/api", context: "services/api" },`]),
    `  },`,
    p.kustomizeDirs[0] ? `  manifests: { kustomize: ${JSON.stringify(p.kustomizeDirs[0])} },` : `  // manifests: { kustomize: "k8s/overlays/dev" },`,
    p.composeFiles[0] ? `  compose: { files: [${JSON.stringify(p.composeFiles[0])}] },` : `  // compose: { files: ["docker-compose.yml"] },`,
    `});`,
    ``,
  ];
  return lines.join("\n");
}

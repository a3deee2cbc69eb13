// `devenv init`: find the compose files, a kustomize directory and the Dockerfiles of a project
// (findProjectFiles), then write a starter devenv.ts from them (starterEnv, pure). Build contexts
// come from the compose file's `build:` where it names them: a Dockerfile that copies from a
// parent folder needs that folder as context, which its own location does not tell.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { parseAllDocuments } from "yaml";
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
  /** The compose files chosen by compose's own rules: the base file of the shallowest folder that has one, and its override. */
  composeFiles: string[];
  /** Other compose files (e.g. docker-compose.images.yml, compose.deploy.yml): listed as options, never chosen. */
  otherComposeFiles: string[];
  /** Kustomize directories, best first (an overlays/dev, else the shallowest). */
  kustomizeDirs: string[];
  /** Plain manifest directories (a folder of Kubernetes YAML), or the Kubernetes YAML files at the project's root; best first. */
  manifestDirs: string[];
  /** Helm charts (folders with a Chart.yaml): devenv applies YAML, so they are rendered first. */
  helmCharts: string[];
  /** Dockerfiles, relative to the project. */
  dockerfiles: string[];
  /** Dockerfiles that no compose service builds and no manifest image names: not images. */
  unusedDockerfiles: string[];
  /** Interpolation file of the compose files when it is not the default `.env` (e.g. `.env.example`). */
  composeEnvFile?: string;
  /** Images: compose `build:` sections first, then the Dockerfiles the manifests name. */
  images: StarterImage[];
  /** Why the compose file could not be read for build contexts, if it could not. */
  composeProblem?: string;
}

const SKIP = new Set(["node_modules", ".git", ".devenv", "dist", "vendor", ".venv", "venv", "__pycache__", "target", "build"]);
const COMPOSE = /^(docker-)?compose(\.[\w-]+)?\.ya?ml$/;
/** Compose's own file names, in its order of preference (compose-go's DefaultFileNames / DefaultOverrideFileNames). */
export const COMPOSE_BASE_NAMES = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
export const COMPOSE_OVERRIDE_NAMES = ["compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"];
const SETUP_DIRS = /^(compose|docker|deploy|deployments?|dev|local|infra|ops|\.devcontainer)$/;
/** Folder names that say nothing about the image built there. */
const GENERIC_DIRS = new Set(["src", "docker", "app", "build", "image", "images", "dockerfiles", "."]);
/** apiVersions of tool configs written in Kubernetes style, which are not objects to apply. */
const TOOL_API = /(^|\.)(skaffold|kustomize\.config\.k8s\.io|kind\.x-k8s\.io|k3d\.io|config\.kubernetes\.io)(\/|$)|^skaffold\//;

/** Walks the project (6 levels deep, skipping dependency, build and hidden directories). */
export function findProjectFiles(root: string): ProjectFiles {
  const all: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith(".") && depth < 6) walk(join(dir, e.name), depth + 1);
      else if (e.isFile()) all.push(relative(root, join(dir, e.name)));
    }
  };
  walk(root, 0);
  all.sort();
  const depth = (p: string) => p.split("/").length;
  const name = sanitize(basename(root));
  const { chosen: composeFiles, others: otherComposeFiles } = chooseCompose(all);
  const dockerfiles = all.filter((f) => basename(f) === "Dockerfile" || basename(f).startsWith("Dockerfile.")).sort();
  const helmCharts = all.filter((f) => basename(f) === "Chart.yaml").map((f) => dirname(f));
  const inChart = (f: string) => helmCharts.some((c) => c === "." || f.startsWith(`${c}/`));
  const manifests = readManifests(root, all.filter((f) => /\.ya?ml$/.test(f) && !COMPOSE.test(basename(f)) && !inChart(f)));
  const score = (d: string) => (/overlays\/dev$/.test(d) ? 0 : /overlays\//.test(d) ? 2 : 1) * 10 + depth(d);
  const kustomizeDirs = manifests.kustomizations.sort((a, b) => score(a) - score(b) || a.localeCompare(b));
  const underKustomize = (f: string) => kustomizeDirs.includes(dirname(f)) || manifests.components.includes(dirname(f));
  const plain = [...new Set(manifests.objects.filter((f) => !underKustomize(f)).map((f) => (dirname(f) === "." ? f : dirname(f))))];
  const named = (d: string) => (/(^|\/)(k8s|kube|kubernetes|manifests?|deploy(ments?)?|specs?|k8s-[\w-]+|[\w-]+-(manifests|specifications|k8s))$/.test(d) ? 0 : 1);
  const manifestDirs = plain.sort((a, b) => named(a) - named(b) || depth(a) - depth(b) || a.localeCompare(b));
  const compose = composeFiles.length ? composeBuilds(root, composeFiles) : { services: [] };
  const manifestImages = [...manifests.images, ...helmCharts.flatMap((c) => chartImages(join(root, c)))];
  const { images, unused } = relatedImages(root, name, compose.services, dockerfiles, manifestImages);
  return {
    name,
    composeFiles,
    otherComposeFiles,
    kustomizeDirs,
    manifestDirs,
    helmCharts,
    dockerfiles,
    unusedDockerfiles: unused,
    composeEnvFile: compose.envFile,
    images,
    composeProblem: compose.problem,
  };
}

/** Compose's rules: in the root (else a compose/, docker/, deploy/... folder), the first of compose.yaml, compose.yml,
 *  docker-compose.yml, docker-compose.yaml, plus the first override beside it. Every other compose
 *  file is an option. Pure. */
export function chooseCompose(files: string[]): { chosen: string[]; others: string[] } {
  const all = files.filter((f) => COMPOSE.test(basename(f)));
  // Compose reads the folder it runs in; below the root, only a folder named for the setup
  // (compose/, docker/, deploy/...) is the project's, not a sub-project's (otel/, examples/).
  const dirs = new Set(all.filter((f) => COMPOSE_BASE_NAMES.includes(basename(f))).map((f) => dirname(f)));
  const dir = dirs.has(".") ? "." : [...dirs].filter((d) => SETUP_DIRS.test(d)).sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b))[0];
  const at = (n: string) => (dir === "." ? n : `${dir}/${n}`);
  const base = dir === undefined ? undefined : COMPOSE_BASE_NAMES.map(at).find((f) => all.includes(f));
  const override = dir === undefined ? undefined : COMPOSE_OVERRIDE_NAMES.map(at).find((f) => all.includes(f));
  const chosen = [base, override].filter((f): f is string => !!f);
  return { chosen, others: all.filter((f) => !chosen.includes(f)).sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b)) };
}

/** The Kubernetes YAML of the project: kustomization folders, files of objects, and the images they name. */
function readManifests(root: string, yamlFiles: string[]): { kustomizations: string[]; components: string[]; objects: string[]; images: string[] } {
  const kustomizations: string[] = [];
  const components: string[] = [];
  const objects: string[] = [];
  const images: string[] = [];
  for (const f of yamlFiles) {
    let text: string;
    try {
      if (statSync(join(root, f)).size > 1_000_000) continue;
      text = readFileSync(join(root, f), "utf8");
    } catch {
      continue;
    }
    if (basename(f) === "kustomization.yaml" || basename(f) === "kustomization.yml") {
      // A Component is mixed into a kustomization; it is not one to render.
      if (!/^kind:\s*Component\b/m.test(text)) kustomizations.push(dirname(f));
      else components.push(dirname(f));
      for (const m of text.matchAll(/^\s*-?\s*newName:\s*["']?([^\s"'#]+)/gm)) images.push(m[1]!);
      continue;
    }
    if (text.includes("{{")) continue; // a template, not YAML to apply
    let docs: unknown[];
    try {
      docs = parseAllDocuments(text).map((d) => d.toJS() as unknown);
    } catch {
      continue;
    }
    const k8s = docs.filter((d): d is { apiVersion: string; kind: string } => !!d && typeof d === "object" && typeof (d as { apiVersion?: unknown }).apiVersion === "string" && typeof (d as { kind?: unknown }).kind === "string" && !TOOL_API.test((d as { apiVersion: string }).apiVersion));
    if (k8s.length === 0) continue;
    objects.push(f);
    for (const m of text.matchAll(/^\s*-?\s*image:\s*["']?([^\s"'#]+)/gm)) images.push(m[1]!);
  }
  return { kustomizations, components, objects, images };
}

/** `image.repository` (and `*.image.repository`) values of a chart's values.yaml. */
function chartImages(chart: string): string[] {
  const file = ["values.yaml", "values.yml"].map((n) => join(chart, n)).find((f) => existsSync(f));
  if (!file) return [];
  try {
    return [...readFileSync(file, "utf8").matchAll(/^\s*repository:\s*["']?([^\s"'#]+)/gm)].map((m) => m[1]!);
  } catch {
    return [];
  }
}

/**
 * The services of the compose files, read with devenv's compose reader. Variables come from `.env`
 * beside the first, else `.env.example` (a `${VAR:?}` would otherwise stop the read); files that still
 * cannot be read leave the contexts to the Dockerfiles' folders, with the reason.
 */
function composeBuilds(root: string, files: string[]): { services: Pick<ComposeService, "name" | "image" | "build">[]; envFile?: string; problem?: string } {
  const example = join(dirname(files[0]!), ".env.example");
  const envFile = !existsSync(join(root, dirname(files[0]!), ".env")) && existsSync(join(root, example)) ? example : undefined;
  try {
    return { services: Object.values(loadCompose({ files, cwd: root, envFile, profiles: [] }).services), envFile };
  } catch (e) {
    return { services: [], envFile, problem: e instanceof Error ? e.message : String(e) };
  }
}

/** The repository a manifest names for an image built from `candidates` (service name, folder names), if any. Pure. */
export function manifestImageFor(candidates: string[], manifestImages: string[]): string | undefined {
  const repos = [...new Set(manifestImages.map((r) => repositoryOf(r)))];
  const last = (r: string) => r.slice(r.lastIndexOf("/") + 1).toLowerCase();
  const wanted = candidates.map((c) => c.toLowerCase()).filter((c) => c && !GENERIC_DIRS.has(c));
  for (const c of wanted) {
    const exact = repos.find((r) => last(r) === c);
    if (exact) return exact;
  }
  for (const c of wanted) {
    const suffix = repos.find((r) => last(r).endsWith(`_${c}`) || last(r).endsWith(`-${c}`));
    if (suffix) return suffix;
  }
  return undefined;
}

/** Images from compose builds (one per context + Dockerfile), then from the other Dockerfiles. Pure. */
export function starterImages(root: string, project: string, services: Pick<ComposeService, "name" | "image" | "build">[], dockerfiles: string[], manifestImages: string[] = []): StarterImage[] {
  return relatedImages(root, project, services, dockerfiles, manifestImages).images;
}

/**
 * Images from compose builds (one per context + Dockerfile), then the Dockerfiles a manifest image
 * names. Each is named as the manifests reference it, so its content tag replaces that reference;
 * else as compose names it; else `<project>/<name>`. With neither compose services nor manifest
 * images, every Dockerfile is an image; otherwise a Dockerfile related to neither is not. Pure.
 */
export function relatedImages(root: string, project: string, services: Pick<ComposeService, "name" | "image" | "build">[], dockerfiles: string[], manifestImages: string[] = []): { images: StarterImage[]; unused: string[] } {
  const out: StarterImage[] = [];
  const unused: string[] = [];
  const covered = new Set<string>();
  // A repository the manifests name is built by one image: a second Dockerfile naming it (a test
  // or debug variant) is not an image.
  const claimed = (repo: string | undefined) => repo !== undefined && out.some((i) => i.image === repo);
  for (const svc of services) {
    if (!svc.build || /^[a-z]+:\/\//.test(svc.build.context)) continue;
    const file = resolve(svc.build.context, svc.build.dockerfile);
    if (covered.has(file)) continue;
    covered.add(file);
    const name = sanitize(svc.name);
    const fromManifest = manifestImageFor([svc.name, basename(svc.build.context), ...segments(dirname(relative(root, file)))], manifestImages);
    const image = fromManifest ?? (svc.image && !svc.image.includes("$") ? repositoryOf(svc.image) : undefined) ?? `${project}/${name}`;
    out.push({ name, image, context: relative(root, svc.build.context) || ".", dockerfile: svc.build.dockerfile });
  }
  const keepAll = services.length === 0 && manifestImages.length === 0;
  for (const f of dockerfiles) {
    if (covered.has(resolve(root, f))) continue;
    const dir = dirname(f);
    const suffix = basename(f).startsWith("Dockerfile.") ? basename(f).slice("Dockerfile.".length) : "";
    const candidates = [suffix, ...segments(dir), ...(dir === "." ? [project] : [])];
    const fromManifest = manifestImageFor(candidates, manifestImages);
    if ((!fromManifest && !keepAll) || claimed(fromManifest)) {
      unused.push(f);
      continue;
    }
    const short = sanitize(candidates.find((c) => c && !GENERIC_DIRS.has(c.toLowerCase())) ?? project);
    const name = out.some((i) => i.name === short) ? sanitize(`${dir}-${suffix}`) : short;
    out.push({ name, image: fromManifest ?? `${project}/${name}`, context: dir, dockerfile: basename(f) });
  }
  return { images: out, unused };
}

/** Folder names of a path, deepest first. */
const segments = (dir: string) => (dir === "." ? [] : dir.split("/").reverse());

function sanitize(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63) || "app";
}

/** The manifests entry the starter chooses: a kustomize directory (dev overlay first), else a plain manifest directory. */
export function chosenManifests(p: ProjectFiles): { kustomize: string } | { files: string[] } | undefined {
  if (p.kustomizeDirs[0]) return { kustomize: p.kustomizeDirs[0] };
  const first = p.manifestDirs[0];
  if (!first) return undefined;
  // Kubernetes YAML files at the project's root go together; a folder goes alone.
  return { files: first.includes("/") || !/\.ya?ml$/.test(first) ? [first] : p.manifestDirs.filter((d) => !d.includes("/") && /\.ya?ml$/.test(d)) };
}

/** The starter devenv.ts text. Pure. */
export function starterEnv(p: ProjectFiles): string {
  const images = p.images.map((i) => `    ${JSON.stringify(i.name)}: { image: ${JSON.stringify(i.image)}, context: ${JSON.stringify(i.context)}, dockerfile: ${JSON.stringify(i.dockerfile)} },`);
  const unused = p.unusedDockerfiles.map((f) => `    // ${f}: no compose service builds it and no manifest names its image`);
  const list = (a: string[]) => `[${a.map((x) => JSON.stringify(x)).join(", ")}]`;
  const compose = p.composeFiles.length ? `files: ${list(p.composeFiles)}${p.composeEnvFile ? `, envFile: ${JSON.stringify(p.composeEnvFile)}` : ""}` : undefined;
  const manifests = chosenManifests(p);
  const shownManifests = manifests && ("kustomize" in manifests ? manifests.kustomize : manifests.files.join(", "));
  const otherManifests = [
    ...p.kustomizeDirs.filter((d) => d !== shownManifests).map((d) => `  // manifests: { kustomize: ${JSON.stringify(d)} },`),
    ...p.manifestDirs.filter((d) => !(manifests && "files" in manifests && manifests.files.includes(d))).map((d) => `  // manifests: { files: ${list([d])} },`),
    ...p.helmCharts.map((c) => `  // Helm chart ${c}: devenv applies YAML, so render it first: \`helm template ${p.name} ${c} > k8s/${p.name}.yaml\`, then manifests: { files: ["k8s/${p.name}.yaml"] }`),
  ];
  const lines = [
    `// Starter environment written by \`devenv init\` from the files found here: check every path, then run`,
    `// \`devenv up --dry-run\`. Commented lines are the other candidates found. Fields are documented in the`,
    `// README (Environment definition).`,
    `import { defineEnv } from "devenv-k8s";`,
    ``,
    `export default defineEnv({`,
    `  name: ${JSON.stringify(p.name)},`,
    `  cluster: { provider: "kind", name: "devenv" },`,
    ...(p.composeProblem ? [`  // Build contexts are the Dockerfiles' folders: ${p.composeFiles.join(", ")} could not be read (${p.composeProblem.split("\n")[0]}).`] : []),
    `  images: {`,
    ...(images.length ? images : [`    // e.g. api: { image: "${p.name}/api", context: "services/api" },`]),
    ...unused,
    `  },`,
    manifests ? `  manifests: ${"kustomize" in manifests ? `{ kustomize: ${JSON.stringify(manifests.kustomize)} }` : `{ files: ${list(manifests.files)} }`},` : `  // manifests: { kustomize: "k8s/overlays/dev" },`,
    ...otherManifests,
    compose ? `  compose: { ${compose} },` : `  // compose: { files: ["compose.yaml"] },`,
    ...p.otherComposeFiles.map((f) => `  // compose: { files: ${list([...p.composeFiles, f])} },`),
    `});`,
    ``,
  ];
  return lines.join("\n");
}

/** Adds `.devenv/` (devenv's state folder) to the project's .gitignore, creating it if missing. Returns what it did. */
export function ignoreStateDir(root: string): "added" | "created" | "present" {
  const file = join(root, ".gitignore");
  const text = existsSync(file) ? readFileSync(file, "utf8") : undefined;
  if (text !== undefined && text.split(/\r?\n/).some((l) => /^\/?\.devenv(\/\*?)?\/?\s*$/.test(l.trim()))) return "present";
  const entry = "# devenv's state (kubeconfigs, rendered manifests, seed markers)\n.devenv/\n";
  writeFileSync(file, text === undefined ? entry : `${text}${text === "" || text.endsWith("\n") ? "" : "\n"}${entry}`);
  return text === undefined ? "created" : "added";
}

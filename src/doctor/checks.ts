// The checks `devenv doctor` runs. Each asks the real thing (the daemon's API, the binary's
// own version, the kernel's limits, a bind on the port) rather than guessing from PATH.
import { readFile, statfs } from "node:fs/promises";
import { pingDocker, docker } from "../docker/client.js";
import { tryRun, which } from "../exec/runner.js";
import type { Check, DoctorOptions } from "./check.js";

export type { DoctorOptions } from "./check.js";
import { compareVersions, parseVersion } from "../exec/tool-version.js";
import { providerChecks } from "./provider-checks.js";
import { addonChecks } from "./addon-checks.js";
import { composePortChecks } from "./compose-port-checks.js";
import { imageCacheCheck } from "./image-checks.js";

/** Minimum versions devenv is written against (see the README); kind's and k3d's are their providers'. */
export const MIN_VERSIONS = { kubectl: "1.27.0", node: "20.11.0" } as const;


export function doctorChecks(o: DoctorOptions): Check[] {
  return [
    nodeCheck(),
    dockerCheck(),
    dockerResourcesCheck(),
    ...(o.traits.cli ? [toolCheck(o.traits.cli.tool, o.traits.cli.versionArgs, o.traits.cli.min, true, `install ${o.traits.cli.tool}: ${o.traits.cli.installHint}`)] : []),
    toolCheck("kubectl", ["version", "--client"], MIN_VERSIONS.kubectl, true, "install kubectl ≥ 1.27 (it renders kustomize directories): https://kubernetes.io/docs/tasks/tools/"),
    composeCheck(),
    ...providerChecks(o),
    ...(o.compose ? composePortChecks(o.compose.ports, o.compose.project) : []),
    ...(o.pulls ? [imageCacheCheck(o.pulls)] : []),
    ...addonChecks(o),
    inotifyCheck(),
    diskCheck(),
  ];
}

function nodeCheck(): Check {
  return {
    id: "node",
    title: "Node.js",
    run: async () => {
      const v = process.versions.node;
      return compareVersions(v, MIN_VERSIONS.node) >= 0
        ? { status: "ok", detail: `v${v}` }
        : { status: "fail", detail: `v${v} is older than ${MIN_VERSIONS.node}`, hint: "install Node.js 20.11 or newer" };
    },
  };
}

function dockerCheck(): Check {
  return {
    id: "docker",
    title: "Docker daemon",
    run: async () => {
      const p = await pingDocker();
      if (p.ok) return { status: "ok", detail: `reachable, engine ${p.version} (API ${p.apiVersion})` };
      const binary = await which("docker");
      return {
        status: "fail",
        detail: `not reachable: ${p.reason}${binary ? ` (the docker CLI is at ${binary}, but no daemon answers)` : ""}`,
        hint: "start Docker Desktop, or `sudo systemctl start docker` (Linux); check DOCKER_HOST",
      };
    },
  };
}

function dockerResourcesCheck(): Check {
  return {
    id: "docker-resources",
    title: "Docker CPUs and memory",
    run: async () => {
      const p = await pingDocker();
      if (!p.ok) return { status: "warn", detail: "skipped: the daemon is not reachable" };
      const info = await (await docker()).info();
      const gib = info.MemTotal / 2 ** 30;
      const detail = `${info.NCPU} CPUs, ${gib.toFixed(1)} GiB (${info.OperatingSystem}${info.Driver ? `, storage ${info.Driver}` : ""})`;
      if (info.NCPU < 2 || gib < 4) return { status: "warn", detail, hint: "give Docker at least 2 CPUs and 4 GiB (8 GiB for both reference stacks): Docker Desktop → Settings → Resources" };
      return { status: "ok", detail };
    },
  };
}

function toolCheck(tool: string, args: string[], min: string, required: boolean, hint: string): Check {
  return {
    id: tool,
    title: tool,
    run: async () => {
      const path = await which(tool);
      if (!path) return { status: required ? "fail" : "warn", detail: `not installed${required ? "" : " (not needed by this environment's provider)"}`, hint };
      const r = await tryRun(tool, args, { timeoutMs: 10_000 }).catch(() => undefined);
      const version = r ? parseVersion(`${r.stdout}\n${r.stderr}`) : undefined;
      if (!version) return { status: "warn", detail: `${path}: could not read its version`, hint };
      if (compareVersions(version, min) < 0) return { status: required ? "fail" : "warn", detail: `v${version} is older than ${min}`, hint };
      return { status: "ok", detail: `v${version} (${path})` };
    },
  };
}

function composeCheck(): Check {
  return {
    id: "compose",
    title: "docker compose",
    run: async () => {
      const v2 = await tryRun("docker", ["compose", "version", "--short"], { timeoutMs: 10_000 }).catch(() => undefined);
      if (v2 && v2.exitCode === 0) return { status: "ok", detail: `docker compose v${v2.stdout.trim().replace(/^v/, "")}` };
      const v1 = await tryRun("docker-compose", ["version", "--short"], { timeoutMs: 10_000 }).catch(() => undefined);
      if (v1 && v1.exitCode === 0) return { status: "ok", detail: `docker-compose v${v1.stdout.trim()} (v1; \`docker compose\` v2 is preferred)` };
      return { status: "warn", detail: "neither `docker compose` nor `docker-compose` found (only needed for --target compose)", hint: "install the Docker Compose plugin: https://docs.docker.com/compose/install/" };
    },
  };
}

function inotifyCheck(): Check {
  return {
    id: "inotify",
    title: "inotify limits (file watching)",
    run: async () => {
      if (process.platform !== "linux") return { status: "ok", detail: `not Linux (${process.platform})` };
      const read = async (f: string) => parseInt(await readFile(`/proc/sys/fs/inotify/${f}`, "utf8"), 10);
      const [watches, instances] = await Promise.all([read("max_user_watches"), read("max_user_instances")]).catch(() => [NaN, NaN]);
      if (Number.isNaN(watches)) return { status: "warn", detail: "cannot read /proc/sys/fs/inotify" };
      const detail = `max_user_watches=${watches}, max_user_instances=${instances}`;
      if (watches < 524288 || instances < 512) {
        return { status: "warn", detail, hint: "kind nodes and hot reload need more: sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512" };
      }
      return { status: "ok", detail };
    },
  };
}

function diskCheck(): Check {
  return {
    id: "disk",
    title: "free disk",
    run: async () => {
      const dir = process.env.DOCKER_ROOT ?? (process.platform === "linux" ? "/var/lib" : process.cwd());
      const s = await statfs(dir).catch(() => statfs(process.cwd()));
      const gib = (s.bavail * s.bsize) / 2 ** 30;
      const detail = `${gib.toFixed(1)} GiB free under ${dir}`;
      if (gib < 5) return { status: "fail", detail, hint: "free space: `docker system prune` removes stopped containers and dangling images" };
      if (gib < 20) return { status: "warn", detail, hint: "node images and the stacks' images take ~10 GiB; `docker system prune` frees space" };
      return { status: "ok", detail };
    },
  };
}

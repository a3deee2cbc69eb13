#!/usr/bin/env node
// devenv's entry point. Kept light so `devenv --help` starts fast: only commander and the
// style helpers load here; each command's module is imported when it runs.
import { Command as Commander, Option } from "commander";
import { colorWanted, makeStyle } from "../ui/style.js";
import type { Cli, Command, GlobalOptions } from "./cli.js";

const commands: { name: string; alias?: string; args?: string; summary: string; example: string; options?: (c: Commander) => void }[] = [
  {
    name: "up",
    summary: "bring the environment up: cluster, addons, images, manifests, seeds",
    example: "devenv up --target compose --watch",
    options: (c) =>
      c
        .addOption(new Option("--target <target>", "where to run the stack").choices(["cluster", "compose"]).default("cluster"))
        .option("--watch", "keep running and hot-reload on file change", false)
        .option("--only <steps>", "run only these step ids (comma-separated)")
        .option("--recreate <objects>", "delete these objects (kind/name, comma-separated) keeping their pods and volumes (--cascade=orphan), then apply them again: for immutable StatefulSet fields"),
  },
  {
    name: "dev",
    summary: "up --watch: bring the environment up and hot-reload on change",
    example: "devenv dev --target compose",
    options: (c) => c.addOption(new Option("--target <target>", "where to run the stack").choices(["cluster", "compose"]).default("cluster")),
  },
  {
    name: "down",
    summary: "stop the environment's workloads, keeping data",
    example: "devenv down",
    options: (c) =>
      c
        .addOption(new Option("--target <target>", "which setup to stop").choices(["cluster", "compose"]).default("cluster"))
        .option("--nodes", "stop the cluster's node containers instead of scaling workloads to zero", false),
  },
  {
    name: "reset",
    summary: "reset data (default), the cluster (--cluster) or everything (--all)",
    example: "devenv reset --data --yes",
    options: (c) =>
      c
        .option("--data", "drop and re-seed the databases, keep the cluster (default)", false)
        .option("--cluster", "delete the cluster", false)
        .option("--all", "delete the cluster (compose: the project and its volumes), the registry and .devenv/ state", false)
        .addOption(new Option("--target <target>", "which setup's data to reset").choices(["cluster", "compose"]).default("cluster")),
  },
  {
    name: "compare-compose",
    summary: "report drift between the compose setup and the Kubernetes manifests (exit 3 on drift)",
    example: "devenv compare-compose --compose compose/docker-compose.yml --k8s k8s/overlays/dev",
    options: (c) =>
      c
        .option("--compose <file>", "compose file (repeatable, merged in order)", collect, [])
        .option("--env-file <file>", "env file for compose interpolation")
        .option("--k8s <dir>", "kustomize directory, directory of plain manifests, or manifest file (repeatable, compared together)", collect, [])
        .option("--profile <name>", "compose profile to enable (repeatable; its devenv.ts compare.profiles component joins the manifests)", collect, [])
        .option("--ignore <rule>", "rule id to ignore (repeatable)", collect, []),
  },
  {
    name: "convert",
    summary: "write a kustomize base from a compose setup",
    example: "devenv convert --compose compose/docker-compose.yml --out k8s/base",
    options: (c) =>
      c
        .option("--compose <file>", "compose file (repeatable, merged in order)", collect, [])
        .option("--env-file <file>", "env file for compose interpolation")
        .option("--namespace <ns>", "namespace of the generated objects")
        .requiredOption("--out <dir>", "directory to write the kustomize base to"),
  },
  { name: "doctor", summary: "check this machine: Docker, kind/k3d, kubectl, ports, limits", example: "devenv doctor --json" },
  {
    name: "status",
    summary: "workloads, readiness and URLs of the environment",
    example: "devenv status --target compose",
    options: (c) => c.addOption(new Option("--target <target>", "which setup").choices(["cluster", "compose"]).default("cluster")),
  },
  {
    name: "logs",
    args: "<service>",
    summary: "logs of every pod (or container) of a service, prefixed",
    example: "devenv logs backend -f",
    options: (c) =>
      c
        .option("-f, --follow", "keep streaming", false)
        .option("--tail <n>", "lines per pod to start with", "100")
        .addOption(new Option("--target <target>", "which setup").choices(["cluster", "compose"]).default("cluster")),
  },
  {
    name: "seed",
    summary: "run the Postgres and Redis seeds (exactly once per file)",
    example: "devenv seed --target compose",
    options: (c) =>
      c
        .option("--force", "re-apply files whose checksum changed", false)
        .addOption(new Option("--target <target>", "which setup's databases").choices(["cluster", "compose"]).default("cluster")),
  },
  {
    name: "init",
    summary: "write a starter devenv.ts from the compose and k8s files found here",
    example: "devenv init",
    options: (c) => c.option("--force", "overwrite an existing devenv.ts", false),
  },
];

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = new Commander("devenv")
    .description("A laptop Kubernetes environment equal to production, and proof that compose and k8s agree.")
    .version(process.env.DEVENV_VERSION ?? "0.1.0", "-V, --version")
    .option("--env <file>", "environment definition", "devenv.ts")
    .option("--dry-run", "print the plan without touching anything", false)
    .option("--json", "machine-readable output on stdout", false)
    .option("-y, --yes", "answer yes to confirmations", false)
    .option("-v, --verbose", "more output, and stack traces on errors", false)
    .option("--no-color", "no ANSI colours (also: NO_COLOR)")
    .showHelpAfterError("(run `devenv --help` for usage)")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  program.addHelpText("after", `\nExamples:\n${commands.map((c) => `  ${c.example}`).join("\n")}\n\nExit codes: 0 ok, 1 failure, 2 bad usage or config, 3 drift found.`);

  for (const spec of commands) {
    const sub = program.command(spec.args ? `${spec.name} ${spec.args}` : spec.name).description(spec.summary);
    sub.addHelpText("after", `\nExample:\n  ${spec.example}`);
    spec.options?.(sub);
    sub.action(async (...actionArgs: unknown[]) => {
      const cmd = actionArgs[actionArgs.length - 1] as Commander;
      const positional = actionArgs.slice(0, -2).filter((a): a is string => typeof a === "string");
      const globals = cmd.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
      const cli = makeCli(globals);
      if (globals.verbose) (await import("../debug/index.js")).enableDebug();
      exitCode = await runCommand(spec.name, cli, cmd.opts(), positional);
    });
  }

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    const code = (e as { code?: string; exitCode?: number }).code;
    if (code === "commander.helpDisplayed" || code === "commander.version" || code === "commander.help") return 0;
    if (typeof code === "string" && code.startsWith("commander.")) return 2;
    throw e;
  }
  return exitCode;
}

function makeCli(globals: GlobalOptions): Cli {
  const style = makeStyle(colorWanted(globals.color));
  return {
    opts: { env: globals.env, dryRun: globals.dryRun, json: globals.json, yes: globals.yes, verbose: globals.verbose, color: style.enabled },
    style,
    cwd: process.cwd(),
    out: (t) => void process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
    err: (t) => void process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
  };
}

async function runCommand(name: string, cli: Cli, opts: Record<string, unknown>, args: string[]): Promise<number> {
  try {
    const mod = (await import(`./commands/${name}.js`)) as { default: Command };
    return await mod.default(cli, opts, args);
  } catch (e) {
    const { formatError, toReport } = await import("../errors/report.js");
    if (cli.opts.json) {
      const r = toReport(e);
      cli.out(JSON.stringify({ outcome: "error", error: r }, null, 2));
      return r.exitCode;
    }
    cli.err(formatError(e, cli.style, cli.opts.verbose));
    return toReport(e).exitCode;
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === (await import("node:url")).pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  await runAsProgram();
}

/** What the `devenv` binary does around main(): signals, a closed stdout (`| head`), the exit code. */
export async function runAsProgram(argv = process.argv.slice(2)): Promise<void> {
  const { installSignalHandlers } = await import("./interrupt.js");
  installSignalHandlers((line) => void process.stderr.write(`${line}\n`));
  // `devenv --help | head -1`: the reader is gone, which is not an error of devenv's.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  await main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`devenv: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

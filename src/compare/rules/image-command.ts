// Rules image.mismatch and command.mismatch: the same image repository (or the same build
// context ↔ the image devenv builds) and the same entrypoint/command ↔ command/args.
import { basename } from "node:path";
import { normalImage, normalRepo, sameImage, serviceRepositories } from "../match.js";
import type { ComposeService } from "../../compose/model.js";
import type { Workload } from "../workloads.js";
import { envOf, ref, type RuleContext } from "../context.js";
import { canonicalHosts } from "../dns.js";
import { expand } from "../resolve-env.js";
import { looksSecret, MASK, redactArgv } from "../../redact/secrets.js";

export function checkImageAndCommand(ctx: RuleContext): void {
  const builtRepos = new Map(ctx.images.map((i) => [i.context.replace(/\/+$/, ""), i.repository]));
  for (const { service: s, workload: w, container: c } of ctx.pairs) {
    if (!w || !c) continue;
    checkImage(ctx, s, w, c.image, builtRepos);
    // Kubernetes expands $(VAR) in command and args with the container's env, like in env values.
    const env = envOf(ctx, w, c);
    // An argument that took a value from a Secret (or a secret-named variable) is printed as ***.
    const fromSecret = new Set<string>();
    const k8sArgv = (a?: string[]) =>
      a?.map((x) => {
        let secret = false;
        const { value } = expand(x, (n) => {
          const r = env.get(n);
          if (r && (r.source === "secret" || looksSecret(n, r.value))) secret = true;
          return r?.value;
        });
        if (secret) fromSecret.add(value);
        return value;
      });
    const command = k8sArgv(c.command);
    const args = k8sArgv(c.args);
    // Split differently (compose `command` ↔ k8s `command`) but the same argv in the end: equal.
    const joined = (a?: string[], b?: string[]) => (a || b ? [...(a ?? []), ...(b ?? [])] : undefined);
    if ((s.entrypoint === undefined) !== (command === undefined) && sameArgv(ctx, joined(s.entrypoint, s.command), joined(command, args))) {
      ctx.sink.ok(s.name, `argv ${printed(joined(s.entrypoint, s.command), fromSecret)}`);
      continue;
    }
    compareArgv(ctx, s.name, ref(w), "entrypoint ↔ command", s.entrypoint, command, fromSecret);
    compareArgv(ctx, s.name, ref(w), "command ↔ args", s.command, args, fromSecret);
  }
}

/** The whole reference for images pulled as they are (registry normalised, no tag = latest,
 *  digests); the repository alone for images built from source, whose tags devenv sets. */
function checkImage(ctx: RuleContext, s: ComposeService, w: Workload, k8sImage: string | undefined, builtRepos: Map<string, string>): void {
  const k8sRepo = k8sImage ? normalRepo(k8sImage) : "";
  const repos = serviceRepositories(s, builtRepos);
  // Images devenv builds get content tags, and an image another compose service builds (`build:`
  // with `image:`) is that build: for these only the repository is compared.
  const builtByDevenv = ctx.images.some((i) => normalRepo(i.repository) === k8sRepo) || Object.values(ctx.project.services).some((o) => o.build && o.image && normalRepo(o.image) === k8sRepo);
  // Without a devenv.ts image for the context, accept the names compose itself would give the build
  // (`<project>-<service>`, `<project>_<service>`), the context's directory name, and a published
  // `<owner>/<anything>[-_]<service>` built from the same source.
  const last = k8sRepo.split("/").pop() ?? "";
  const names = [s.name, basename(s.build?.context ?? ""), `${ctx.project.name}-${s.name}`, `${ctx.project.name}_${s.name}`];
  const guess = Boolean(s.build) && !repos.includes(k8sRepo) && (names.includes(last) || last.endsWith(`_${s.name}`) || last.endsWith(`-${s.name}`));
  if (!repos.includes(k8sRepo) && !guess) {
    const composeSide = s.image ?? `build ${s.build?.context ?? "?"}`;
    ctx.sink.add("image.mismatch", s.name, `image: compose ${composeSide} ≠ k8s ${k8sImage ?? "(none)"}`, { workload: ref(w), compose: composeSide, k8s: k8sImage, ...(repos.length ? {} : { severity: "warning", hint: "add a devenv.ts images entry whose context is the compose build context, so devenv knows which repository it becomes" }) });
    return;
  }
  if (s.image && k8sImage && !s.build && !builtByDevenv && !sameImage(s.image, k8sImage)) {
    const a = normalImage(s.image);
    const b = normalImage(k8sImage);
    const what = a.digest && b.digest ? "digest" : "tag";
    ctx.sink.add("image.mismatch", s.name, `image ${what}: compose ${s.image} ≠ k8s ${k8sImage}`, { workload: ref(w), compose: s.image, k8s: k8sImage, hint: "run the same version on both sides: the tag (no tag means latest) or the digest must be equal" });
    return;
  }
  ctx.sink.ok(s.name, `image ${s.image && !s.build && !builtByDevenv ? k8sImage : k8sRepo}${guess ? " (by build context name)" : ""}`);
}

function sameArgv(ctx: RuleContext, a: string[] | undefined, b: string[] | undefined): boolean {
  const norm = (x: string[] | undefined) => (x === undefined ? undefined : JSON.stringify(x.map((y) => canonicalHosts(y, ctx.dns))));
  return norm(a) === norm(b);
}

/** An argv as JSON, secret arguments (by flag, content, or taken from a Secret) as `***`. */
function printed(argv: string[] | undefined, fromSecret: ReadonlySet<string>, none: string | null = null): string {
  if (argv === undefined) return JSON.stringify(none);
  return JSON.stringify(redactArgv(argv).map((x, i) => (fromSecret.has(argv[i]!) ? MASK : x)));
}

function compareArgv(ctx: RuleContext, service: string, workload: string, what: string, compose: string[] | undefined, k8s: string[] | undefined, fromSecret: ReadonlySet<string>): void {
  if (compose === undefined && k8s === undefined) return;
  if (sameArgv(ctx, compose, k8s)) {
    ctx.sink.ok(service, `${what.split(" ")[0]} ${printed(compose, fromSecret)}`);
    return;
  }
  const oneSided = compose === undefined || k8s === undefined;
  ctx.sink.add("command.mismatch", service, `${what}: compose ${printed(compose, fromSecret, "(image default)")} ≠ k8s ${printed(k8s, fromSecret, "(image default)")}`, {
    workload,
    compose: printed(compose, fromSecret),
    k8s: printed(k8s, fromSecret),
    ...(oneSided ? { severity: "warning" as const } : {}),
  });
}

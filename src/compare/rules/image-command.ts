// Rules image.mismatch and command.mismatch: the same image repository (or the same build
// context ↔ the image devenv builds) and the same entrypoint/command ↔ command/args.
import { basename } from "node:path";
import { normalRepo, serviceRepositories } from "../match.js";
import { ref, type RuleContext } from "../context.js";
import { canonicalHosts } from "../dns.js";
import { mainContainer } from "../workloads.js";

export function checkImageAndCommand(ctx: RuleContext): void {
  const builtRepos = new Map(ctx.images.map((i) => [i.context.replace(/\/+$/, ""), i.repository]));
  for (const { service: s, workload: w } of ctx.pairs) {
    const c = w && mainContainer(w, s.name);
    if (!w || !c) continue;
    const k8sRepo = c.image ? normalRepo(c.image) : "";
    const repos = serviceRepositories(s, builtRepos);
    // Without a devenv.ts image for the context, accept the names compose itself would give the build.
    const last = k8sRepo.split("/").pop();
    const guess = s.build && !repos.length && [s.name, basename(s.build.context), `${ctx.project.name}-${s.name}`, `${ctx.project.name}_${s.name}`].includes(last ?? "");
    if (repos.includes(k8sRepo) || guess) ctx.sink.ok(s.name, `image ${k8sRepo}${guess ? " (by build context name)" : ""}`);
    else {
      const composeSide = s.image ?? `build ${s.build?.context ?? "?"}`;
      ctx.sink.add("image.mismatch", s.name, `image: compose ${composeSide} ≠ k8s ${c.image ?? "(none)"}`, { workload: ref(w), compose: composeSide, k8s: c.image, ...(repos.length ? {} : { severity: "warning", hint: "add a devenv.ts images entry whose context is the compose build context, so devenv knows which repository it becomes" }) });
    }
    compareArgv(ctx, s.name, ref(w), "entrypoint ↔ command", s.entrypoint, c.command);
    compareArgv(ctx, s.name, ref(w), "command ↔ args", s.command, c.args);
  }
}

function compareArgv(ctx: RuleContext, service: string, workload: string, what: string, compose: string[] | undefined, k8s: string[] | undefined): void {
  if (compose === undefined && k8s === undefined) return;
  const norm = (a: string[] | undefined) => (a === undefined ? undefined : JSON.stringify(a.map((x) => canonicalHosts(x, ctx.dns))));
  if (norm(compose) === norm(k8s)) {
    ctx.sink.ok(service, `${what.split(" ")[0]} ${JSON.stringify(compose)}`);
    return;
  }
  const oneSided = compose === undefined || k8s === undefined;
  ctx.sink.add("command.mismatch", service, `${what}: compose ${JSON.stringify(compose ?? "(image default)")} ≠ k8s ${JSON.stringify(k8s ?? "(image default)")}`, {
    workload,
    compose: JSON.stringify(compose ?? null),
    k8s: JSON.stringify(k8s ?? null),
    ...(oneSided ? { severity: "warning" as const } : {}),
  });
}

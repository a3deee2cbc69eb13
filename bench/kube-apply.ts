// Applying to the cluster: how much a second `up` with unchanged manifests costs (devenv GETs
// and compares, sending nothing) next to the first apply, and next to `kubectl apply
// --server-side` of the same objects, against the in-process test API server. The server
// stores quantities canonically (the manifests say `1000m`, it keeps `1`), as a real one does.
// Two ways of deciding "up to date" are measured: devenv's default (normalised comparison with
// the live object, a dry run only for what that calls changed) and asking the server for every
// object (a dry-run apply compared with the live object, as `kubectl diff` does).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../src/exec/runner.js";
import { KubeConfig } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { KubeRest } from "../src/kube/rest.js";
import { applyWith } from "../src/kube/apply.js";
import type { KubeObject } from "../src/model/index.js";
import { startKubeApiServer } from "../test/helpers/kube-api-server/index.js";
import { median, report, sample, time } from "./lib.js";

const N = 60;
const objects: KubeObject[] = [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "bench" } }];
for (let i = 0; i < N; i++) {
  objects.push({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${i}`, namespace: "bench" }, data: { key: `value-${i}`, more: "x".repeat(200) } });
  if (i % 3 === 0) {
    objects.push({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: `app-${i}`, namespace: "bench" }, spec: { selector: { matchLabels: { app: `app-${i}` } }, template: { metadata: { labels: { app: `app-${i}` } }, spec: { containers: [{ name: "app", image: `app:${i}`, ports: [{ containerPort: 8080 }], resources: { requests: { cpu: "0.1", memory: "128Mi" }, limits: { cpu: "1000m", memory: "1024Mi" } } }] } } } });
  }
}

const server = await startKubeApiServer();
try {
  const kubeconfig = server.kubeconfig();
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const rest = new KubeRest(kc);
  const opts = { envName: "bench", namespace: "bench" };
  const first = await time(() => applyWith(rest, objects, opts));
  server.clearWrites();
  const again = median(await sample(5, () => applyWith(rest, objects, opts)));
  if (server.writes.length) throw new Error(`a re-apply sent ${server.writes.length} writes`);
  let dryRuns = 0;
  const byServer = median(await sample(5, async () => (dryRuns = (await applyWith(rest, objects, { ...opts, check: "server" })).dryRunUnchanged ?? 0)));
  if (server.changes().length) throw new Error(`a re-apply (dry-run check) changed ${server.changes().length} objects`);
  const file = join(mkdtempSync(join(tmpdir(), "bench-kube-")), "objects.yaml");
  writeFileSync(file, objects.map((o) => stringify(o)).join("---\n"));
  // kubectl runs as a child process (async: the server lives in this process's event loop).
  const kubectl = median(await sample(3, () => run("kubectl", ["--kubeconfig", kubeconfig, "apply", "--server-side", "--field-manager", "kubectl-bench", "--force-conflicts", "-f", file])));
  console.log(`${objects.length} objects`);
  report("devenv second up (unchanged, no writes)", again, { name: "devenv first apply", value: first }, "< 1x");
  report(`same, dry run for every object (${dryRuns})`, byServer, { name: "devenv first apply", value: first });
  report("same, dry run for every object", byServer, { name: "devenv second up (normalised)", value: again });
  report("devenv second up (unchanged, no writes)", again, { name: "kubectl apply --server-side", value: kubectl });
} finally {
  await server.close();
}

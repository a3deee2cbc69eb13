// Checks of the rendered manifests before anything is applied (issue 20): a claim on a StorageClass nothing
// provides is refused; imagePullPolicy Always on an image devenv loads into the nodes is rewritten.
import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { loadEnv } from "../../../src/config/load.js";
import { parseManifests } from "../../../src/kube/manifests.js";
import { unprovidedStorageClass } from "../../../src/kube/storage-classes.js";
import { devPullPolicy } from "../../../src/kube/render.js";
import { renderManifestsStep } from "../../../src/up/steps/manifests.js";
import type { UpContext } from "../../../src/up/context.js";

const pvc = (name: string, sc: string, mode = "ReadWriteMany") =>
  `apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: ${name} }\nspec: { accessModes: [${mode}], storageClassName: ${sc}, resources: { requests: { storage: 1Gi } } }`;
const addon = { name: "nfs-client", by: "the nfs addon (devenv.ts addons.nfs.storageClass)" };
const local = { name: "standard", by: "kind's local storage" };

describe("unprovidedStorageClass", () => {
  it("accepts the addon's class, the provider's local class, a class the manifests define, and claims without a class", () => {
    const objects = parseManifests(
      [
        pvc("a", "nfs-client"),
        pvc("b", "standard", "ReadWriteOnce"),
        pvc("c", "fast", "ReadWriteOnce"),
        "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: { name: fast }\nprovisioner: x",
        "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: d }\nspec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }",
      ].join("\n---\n"),
      "m.yaml",
    );
    expect(unprovidedStorageClass(objects, [addon, local])).toBeUndefined();
  });

  it("names the claim and the fix: the addon's class for an RWX claim", () => {
    const err = unprovidedStorageClass(parseManifests(pvc("data", "nfs"), "pvc.yaml"), [addon, local]);
    expect(err?.message).toContain('PersistentVolumeClaim/data (storageClassName "nfs"): no StorageClass of that name is provided');
    expect(err?.message).toContain('"nfs-client" from the nfs addon');
    expect(err?.hint).toContain("set storageClassName: nfs-client in pvc.yaml");
    expect(err?.hint).toContain('addons.nfs.storageClass');
  });

  it("checks StatefulSet volumeClaimTemplates too", () => {
    const sts = `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: { name: db }\nspec:\n  selector: { matchLabels: { app: db } }\n  template: { metadata: { labels: { app: db } }, spec: { containers: [{ name: db, image: x }] } }\n  volumeClaimTemplates:\n    - metadata: { name: data }\n      spec: { accessModes: [ReadWriteOnce], storageClassName: gp2, resources: { requests: { storage: 1Gi } } }`;
    expect(unprovidedStorageClass(parseManifests(sts, "s.yaml"), [local])?.message).toContain('StatefulSet/db volumeClaimTemplate data (storageClassName "gp2")');
  });
});

describe("up: render-manifests refuses a claim on a class nothing provides (CodeBeaker)", () => {
  const ctxFor = async (storageClass: string): Promise<UpContext> => {
    const env = await loadEnv("fixtures/codebeaker/devenv.ts", resolve("."));
    env.config.addons.nfs.storageClass = storageClass;
    return { env, target: "cluster", dryRun: true, yes: true, verbose: false, watch: false, images: new Map(), log: () => {} };
  };

  it("the documents' class nfs-client is the addon's: the plan goes through", async () => {
    const lines = await renderManifestsStep.plan(await ctxFor("nfs-client"));
    expect(lines.join("\n")).toContain("render kubectl kustomize");
  });

  it("the addon renamed back to nfs: the dry-run plan fails, naming the PVC and the fix", async () => {
    const err = await Promise.resolve(renderManifestsStep.plan(await ctxFor("nfs"))).then(() => undefined, (e: unknown) => e as { message: string; hint?: string });
    expect(err?.message).toContain('PersistentVolumeClaim/codebeaker-data (storageClassName "nfs-client")');
    expect(err?.hint).toContain("set storageClassName: nfs");
  });
});

describe("imagePullPolicy: Always on an image devenv loads into the nodes", () => {
  const deployment = `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\nspec:\n  selector: { matchLabels: { app: api } }\n  template:\n    metadata: { labels: { app: api } }\n    spec:\n      initContainers: [{ name: init, image: busybox:1, imagePullPolicy: Always }]\n      containers: [{ name: api, image: "codebeaker/api:devenv-0123", imagePullPolicy: Always }, { name: side, image: redis:7 }]`;

  it("becomes IfNotPresent, saying so; images pulled from a registry keep Always", () => {
    const objects = parseManifests(deployment, "d.yaml");
    const notes = devPullPolicy(objects, (image) => image.startsWith("busybox"));
    expect(notes).toEqual(["Deployment/api container api: imagePullPolicy Always → IfNotPresent (codebeaker/api:devenv-0123 is loaded into the nodes, not pulled)"]);
    const spec = (objects[0] as any).spec.template.spec;
    expect([spec.initContainers[0].imagePullPolicy, spec.containers[0].imagePullPolicy, spec.containers[1].imagePullPolicy]).toEqual(["Always", "IfNotPresent", undefined]);
  });

  it("the kind plan names the rewrite; on existing the manifests are left alone", async () => {
    const env = await loadEnv("fixtures/codebeaker/devenv.ts", resolve("."));
    const ctx: UpContext = { env, target: "cluster", dryRun: true, yes: true, verbose: false, watch: false, images: new Map(), log: () => {}, objects: parseManifests(deployment, "d.yaml") };
    expect((await renderManifestsStep.plan(ctx)).join("\n")).toContain("Deployment/api container init: imagePullPolicy Always → IfNotPresent");
    const existing = { ...ctx, env: { ...env, config: { ...env.config, cluster: { ...env.config.cluster, provider: "existing" as const, context: "x" } } } };
    expect((await renderManifestsStep.plan(existing)).join("\n")).not.toContain("IfNotPresent");
  });
});

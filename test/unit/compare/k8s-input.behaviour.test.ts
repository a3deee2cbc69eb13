// The Kubernetes side of compare-compose (docs/compare-compose.md, "How the inputs are read"):
// a Helm chart is refused with how to render it, the same object in two files names both.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadK8sForCompare } from "../../../src/compare/k8s-input.js";
import { writeFiles } from "../compose/write-files.js";
import { displayPath } from "../../../src/files/yaml.js";

const cm = (name: string, ns = "") => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}${ns ? `, namespace: ${ns}` : ""} }\ndata: { a: "1" }\n`;

describe("loadK8sForCompare", () => {
  it("reads a directory of plain YAML, recursively", async () => {
    const dir = writeFiles({ "k8s/a.yaml": cm("a"), "k8s/sub/b.yaml": cm("b") });
    expect((await loadK8sForCompare(["k8s"], dir)).map((o) => o.metadata.name).sort()).toEqual(["a", "b"]);
  });
  it("a Helm chart (at the top or a few levels down) is refused with the helm template command", async () => {
    for (const at of ["chart", "deploy/helm/shop"]) {
      const dir = writeFiles({ [`k8s/${at}/Chart.yaml`]: "name: shop\n", [`k8s/${at}/templates/x.yaml`]: "{{ .Values.x }}\n" });
      const e = await loadK8sForCompare(["k8s"], dir).catch((x) => x);
      expect(e.message, at).toBe(`${displayPath(join(dir, "k8s", at))} is a Helm chart: compare-compose reads rendered manifests`);
      expect(e.hint, at).toMatch(/^render it first with `helm template NAME .* > rendered\.yaml` \(add your -f values\.yaml\), then pass --k8s rendered\.yaml$/);
      expect(e.where, at).toMatch(/Chart\.yaml$/);
      expect(e.exitCode).toBe(2);
    }
  });
  it("a Chart.yaml under a hidden directory or node_modules is not looked at", async () => {
    const dir = writeFiles({ "k8s/a.yaml": cm("a"), "k8s/.cache/Chart.yaml": "name: x\n", "k8s/node_modules/pkg/Chart.yaml": "name: y\n" });
    expect((await loadK8sForCompare(["k8s"], dir)).map((o) => o.metadata.name)).toEqual(["a"]);
  });
  it("a chart five levels down is found", async () => {
    const dir = writeFiles({ "k8s/a.yaml": cm("a"), "k8s/1/2/3/4/5/Chart.yaml": "name: five\n" });
    expect((await loadK8sForCompare(["k8s"], dir).catch((x) => x)).message).toMatch(/k8s\/1\/2\/3\/4\/5 is a Helm chart/);
  });
  it("a chart deeper than five levels is not searched for", async () => {
    const dir = writeFiles({ "k8s/a.yaml": cm("a"), "k8s/1/2/3/4/5/6/Chart.yaml": "name: deep\n" });
    mkdirSync(join(dir, "k8s/1/2/3/4/5/6"), { recursive: true });
    expect((await loadK8sForCompare(["k8s"], dir)).map((o) => o.metadata.name)).toEqual(["a"]);
  });
  it("the same kind, namespace and name in two files is an error naming both", async () => {
    const dir = writeFiles({ "k8s/a.yaml": cm("same"), "k8s/b.yaml": cm("same") });
    const e = await loadK8sForCompare(["k8s"], dir).catch((x) => x);
    expect(e.message).toMatch(/^ConfigMap\/same is defined twice: in .*a\.yaml:1(:\d+)? and in .*b\.yaml:1(:\d+)?$/);
    expect(e.hint).toBe("keep one of them (kubectl would apply the later one over the earlier)");
    expect(e.where).toMatch(/b\.yaml:1/);
    expect(e.exitCode).toBe(2);
  });
  it("the same name in two namespaces, or of two kinds, is fine", async () => {
    const dir = writeFiles({ "k8s/a.yaml": cm("same", "x"), "k8s/b.yaml": cm("same", "y"), "k8s/c.yaml": "apiVersion: v1\nkind: Secret\nmetadata: { name: same, namespace: x }\n" });
    expect(await loadK8sForCompare(["k8s"], dir)).toHaveLength(3);
  });
  it("the namespace is part of the name in the message", async () => {
    const dir = writeFiles({ "k8s/a.yaml": cm("same", "x"), "k8s/b.yaml": cm("same", "x") });
    expect((await loadK8sForCompare(["k8s"], dir).catch((x) => x)).message).toMatch(/^ConfigMap\/x\/same is defined twice/);
  });
});

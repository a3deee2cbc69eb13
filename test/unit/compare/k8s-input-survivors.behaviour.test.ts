// --k8s inputs (src/compare/k8s-input.ts): a plain manifest file is read as it is, and a Helm
// chart is refused wherever it sits among sibling directories.
import { describe, expect, it } from "vitest";
import { loadK8sForCompare } from "../../../src/compare/k8s-input.js";
import { writeFiles } from "../compose/write-files.js";

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name} }\ndata: { a: "1" }\n`;

describe("loadK8sForCompare inputs", () => {
  it("a single manifest file is read (not searched for a chart)", async () => {
    const dir = writeFiles({ "k8s/app.yaml": cm("app") });
    expect((await loadK8sForCompare(["k8s/app.yaml"], dir)).map((o) => o.metadata.name)).toEqual(["app"]);
  });
  it("a chart beside other directories is found, whichever the directory lists first", async () => {
    const files: Record<string, string> = {};
    for (const d of ["a", "b", "c", "d", "f", "g", "h"]) files[`k8s/${d}/x.yaml`] = cm(d);
    files["k8s/e/shop/Chart.yaml"] = "name: shop\n";
    const dir = writeFiles(files);
    expect((await loadK8sForCompare(["k8s"], dir).catch((x) => x)).message).toMatch(/k8s\/e\/shop is a Helm chart/);
  });
});

// A Go MySQL driver DSN (`user:password@net(addr)/db`, go-sql-driver/mysql dsn.go ParseDSN: the
// password runs from the first `:` to the last `@` before the `/`) is a secret by content, whatever
// the variable is called: convert puts it into the Secret, never into a ConfigMap, and
// compare-compose prints it masked and flags it in a plain value.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { loadK8sForCompare } from "../../../src/compare/k8s-input.js";
import { convertProject } from "../../../src/convert/convert.js";
import { redactText } from "../../../src/redact/secrets.js";

const dir = fileURLToPath(new URL("../../fixtures/compare/mysql-dsn", import.meta.url));
const project = () => loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });

describe("a MySQL DSN with a password", () => {
  it("is masked by content: the password only, up to the last @ before the /", () => {
    expect(redactText("exporter:hunter2@(mysql:3306)/")).toBe("exporter:***@(mysql:3306)/");
    expect(redactText("app:p@ss/w@tcp(db:3306)/shop?parseTime=true")).toBe("app:***@tcp(db:3306)/shop?parseTime=true");
    expect(redactText("app:${DB_PASSWORD}@tcp(db:3306)/shop")).toBe("app:${DB_PASSWORD}@tcp(db:3306)/shop");
    // not DSNs: an image digest, an scp-style git remote
    expect(redactText("redis:7@sha256:0123abcd")).toBe("redis:7@sha256:0123abcd");
    expect(redactText("git@github.com:org/repo.git")).toBe("git@github.com:org/repo.git");
  });

  it("convert writes it into the Secret, not the ConfigMap", () => {
    const objects = [...convertProject(project(), {}).files.values()].flat();
    expect(JSON.stringify(objects.filter((o) => o.kind !== "Secret"))).not.toContain("hunter2");
    const secret = objects.find((o) => o.kind === "Secret" && o.metadata.name === "exporter-secret") as { stringData?: Record<string, string> } | undefined;
    expect(secret?.stringData).toEqual({ DATA_SOURCE_NAME: "exporter:hunter2@(mysql:3306)/" });
  });

  it("compare-compose never prints it, and flags it in a plain value", async () => {
    const r = compareStacks(project(), await loadK8sForCompare([`${dir}/k8s`], dir));
    expect(JSON.stringify(r)).not.toMatch(/hunter[23]/);
    expect(r.findings.map((f) => `${f.rule} ${f.variable}`)).toEqual(expect.arrayContaining(["env.value DATA_SOURCE_NAME", "env.secret-in-plain DATA_SOURCE_NAME"]));
  });
});

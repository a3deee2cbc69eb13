// A Go MySQL driver DSN, `[user[:password]@]net(host:port)/db`, names its server between the
// parentheses (go-sql-driver/mysql dsn.go ParseDSN). That host must resolve on each side like a
// URL's, and convert must give a server reached only through a DSN a Service on its port.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { loadK8sForCompare } from "../../../src/compare/k8s-input.js";
import { hostsIn } from "../../../src/compare/rules/reach.js";
import { convertProject } from "../../../src/convert/convert.js";

const dir = fileURLToPath(new URL("../../fixtures/compare/mysql-dsn-host", import.meta.url));
const project = () => loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });

describe("the server of a MySQL DSN", () => {
  it("is the host inside net(...); a unix socket is none", () => {
    expect(hostsIn("DSN", "app:p@ss@tcp(db:3306)/shop?parseTime=true")).toEqual(["db"]);
    expect(hostsIn("DATA_SOURCE_NAME", "root:pw@(mysql:3306)/")).toEqual(["mysql"]);
    expect(hostsIn("DSN", "app:pw@unix(/run/mysqld/mysqld.sock)/shop")).toEqual([]);
  });

  it("must resolve on each side", async () => {
    const r = compareStacks(project(), await loadK8sForCompare([`${dir}/k8s`], dir));
    expect(r.findings.filter((f) => f.rule === "env.unreachable-host").map((f) => `${f.service}: ${f.message}`)).toEqual([
      'exporter: DATA_SOURCE_NAME points at "db", which is no compose service, alias or extra_hosts entry',
      'app: MYSQL_DSN points at "mysql-primary" in Deployment/app, but there is no Service "mysql-primary" in namespace default',
    ]);
  });

  it("convert gives a server reached only through a DSN a Service on its port", () => {
    const svc = [...convertProject(project(), {}).files.values()].flat().find((o) => o.kind === "Service" && o.metadata.name === "mysql");
    expect((svc?.spec as { ports?: { port: number }[] } | undefined)?.ports?.map((p) => p.port)).toEqual([3306]);
  });
});

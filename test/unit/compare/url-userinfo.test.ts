// A URL whose password holds an `@` (`postgres://shop:p@ss@db:5432/shop`): URL parsers take the
// userinfo up to the LAST `@` of the authority, which ends at the first `/`, `?` or `#`
// (golang/go@7e6685ce src/net/url/url.go parseAuthority: strings.LastIndex(authority, "@")).
// So the host is `db`, and it must resolve on each side; convert must give `db` a Service on
// the URL's port. An `@` after the path (`?owner=ops@db`) is no userinfo.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { compareStacks } from "../../../src/compare/compare.js";
import { loadK8sForCompare } from "../../../src/compare/k8s-input.js";
import { hostsIn } from "../../../src/compare/rules/reach.js";
import { convertProject } from "../../../src/convert/convert.js";

const dir = fileURLToPath(new URL("../../fixtures/compare/url-userinfo", import.meta.url));
const project = () => loadCompose({ files: ["compose.yml"], cwd: dir, env: {} });

describe("hosts in URLs whose password holds an @", () => {
  it("the host follows the last @ of the authority, never an @ of the path or query", () => {
    expect(hostsIn("DATABASE_URL", "postgres://shop:p@ss@db:5432/shop")).toEqual(["db"]);
    expect(hostsIn("QUEUE_URL", "amqp://shop:s3@cr3t@queue:5672/")).toEqual(["queue"]);
    expect(hostsIn("SEARCH_URL", "http://db:9200/index?owner=ops@db")).toEqual(["db"]);
    expect(hostsIn("REGISTRY", "https://registry.npmjs.org/@types/node")).toEqual(["registry.npmjs.org"]);
  });

  it("compare-compose judges those hosts on each side, and prints no password", async () => {
    const r = compareStacks(project(), await loadK8sForCompare([`${dir}/k8s`], dir));
    const reach = r.findings.filter((f) => f.rule === "env.unreachable-host").map((f) => `${f.service}: ${f.message}`);
    expect(reach).toEqual([
      'api: QUEUE_URL points at "queue", which is no compose service, alias or extra_hosts entry',
      'api: DATABASE_URL points at "database" in Deployment/api, but there is no Service "database" in namespace default',
    ]);
    expect(JSON.stringify(r)).not.toMatch(/p@ss|s3@cr3t/);
  });

  it("convert gives a service reached only through such a URL a Service on the URL's port", () => {
    const converted = convertProject(project(), {});
    const svc = [...converted.files.values()].flat().find((o) => o.kind === "Service" && o.metadata.name === "db");
    expect((svc?.spec as { ports?: { port: number }[] } | undefined)?.ports?.map((p) => p.port)).toEqual([5432, 9200]);
  });
});

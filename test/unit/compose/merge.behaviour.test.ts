// `docker compose -f compose.yml -f compose.override.yml`: what an override file changes and
// what it leaves alone, service field by service field.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCompose } from "../../../src/compose/load.js";
import { deepMerge, mergeService } from "../../../src/compose/merge.js";
import { writeFiles } from "./write-files.js";

describe("an override that sets only build args (or a target)", () => {
  const dir = writeFiles({
    "compose.yml": "services:\n  api:\n    build:\n      context: ./api\n      dockerfile: Dev.Dockerfile\n      args: { NODE: '20', DEBUG: '0' }\n",
    "compose.override.yml": "services:\n  api:\n    build:\n      target: dev\n      args: { DEBUG: '1' }\n",
    "compose.other.yml": "services:\n  api:\n    build:\n      context: ./other\n",
    "api/Dev.Dockerfile": "FROM scratch\n",
  });
  it("keeps the base file's context and dockerfile (Compose applies defaults after merging)", () => {
    const p = loadCompose({ files: [join(dir, "compose.yml"), join(dir, "compose.override.yml")], env: {} });
    expect(p.services.api!.build).toMatchObject({ context: join(dir, "api"), dockerfile: "Dev.Dockerfile", target: "dev", args: { NODE: "20", DEBUG: "1" } });
  });
  it("a context the override does write wins, the dockerfile stays", () => {
    const p = loadCompose({ files: [join(dir, "compose.yml"), join(dir, "compose.other.yml")], env: {} });
    expect(p.services.api!.build).toMatchObject({ context: join(dir, "other"), dockerfile: "Dev.Dockerfile" });
  });
});

describe("mergeService, field by field", () => {
  it("an explicit dockerfile in the override wins", () => {
    const base = { build: { context: "/a", dockerfile: "Dockerfile", args: {} } };
    expect(mergeService(base, { build: { context: "/a", dockerfile: "Prod.Dockerfile", args: {} } }, { build: { dockerfile: "Prod.Dockerfile" } })).toEqual({ build: { context: "/a", dockerfile: "Prod.Dockerfile", args: {} } });
  });
  it("a base without build takes the override's whole", () => {
    expect(mergeService({ image: "x" }, { build: { context: "/b", args: { A: "1" } } }, { build: { context: "b" } })).toEqual({ image: "x", build: { context: "/b", args: { A: "1" } } });
  });
  it("depends_on, extra_hosts, sysctls and annotations merge by key", () => {
    const base = { depends_on: { db: { condition: "service_started" } }, extra_hosts: { a: "1.1.1.1" }, sysctls: { "net.core.somaxconn": "1024" }, annotations: { x: "1" } };
    const over = { depends_on: { db: { condition: "service_healthy" }, cache: { condition: "service_started" } }, extra_hosts: { b: "2.2.2.2" }, sysctls: { "net.ipv4.tcp_syncookies": "0" }, annotations: { y: "2" } };
    expect(mergeService(base, over)).toEqual({
      depends_on: { db: { condition: "service_healthy" }, cache: { condition: "service_started" } },
      extra_hosts: { a: "1.1.1.1", b: "2.2.2.2" },
      sysctls: { "net.core.somaxconn": "1024", "net.ipv4.tcp_syncookies": "0" },
      annotations: { x: "1", y: "2" },
    });
  });
  it("expose, cap_add, security_opt, tmpfs, dns_search append without repeats", () => {
    const base = { expose: ["80"], cap_add: ["NET_ADMIN"], security_opt: ["a"], tmpfs: ["/tmp"], dns_search: ["x"] };
    const over = { expose: ["80", "81"], cap_add: ["SYS_PTRACE"], security_opt: ["a", "b"], tmpfs: ["/run"], dns_search: ["x"] };
    expect(mergeService(base, over)).toEqual({ expose: ["80", "81"], cap_add: ["NET_ADMIN", "SYS_PTRACE"], security_opt: ["a", "b"], tmpfs: ["/tmp", "/run"], dns_search: ["x"] });
  });
  it("the same port published twice in the base is kept once", () => {
    expect(mergeService({ ports: ["80:80", "80:80"] }, { ports: ["81:81"] })).toEqual({ ports: ["80:80", "81:81"] });
  });
  it("a list field the base does not have is taken as written", () => {
    expect(mergeService({}, { ports: ["80:80"], volumes: [{ target: "/d" }] })).toEqual({ ports: ["80:80"], volumes: [{ target: "/d" }] });
  });
  it("other lists are replaced (dns_opt is not appended, devices are not merged)", () => {
    expect(mergeService({ devices: ["/dev/a"], networks: ["x"] }, { devices: ["/dev/b"], networks: ["y"] })).toEqual({ devices: ["/dev/b"], networks: ["y"] });
  });
  it("volumes written as strings replace the base's entry with the same value, others are kept first", () => {
    expect(mergeService({ volumes: ["a", "b"] }, { volumes: ["b", "c"] })).toEqual({ volumes: ["a", "b", "c"] });
    expect(mergeService({ volumes: [{ target: "/x", source: "1" }, { target: "/y", source: "2" }] }, { volumes: [{ target: "/y", source: "3" }, { target: "/z", source: "4" }] })).toEqual({
      volumes: [{ target: "/x", source: "1" }, { target: "/y", source: "3" }, { target: "/z", source: "4" }],
    });
  });
  it("nested maps (deploy, healthcheck, logging) merge deeply; a scalar replaces a map and a map a scalar", () => {
    const base = { deploy: { resources: { limits: { cpus: "1", memory: "1g" } }, replicas: 2 }, logging: { driver: "json-file" } };
    const over = { deploy: { resources: { limits: { memory: "2g" } } }, logging: "none" };
    expect(mergeService(base, over)).toEqual({ deploy: { resources: { limits: { cpus: "1", memory: "2g" } }, replicas: 2 }, logging: "none" });
    expect(mergeService({ image: "a" }, { image: { weird: true } })).toEqual({ image: { weird: true } });
  });
  it("environment: an override written as a list does not merge with a map (the canonical form is a map)", () => {
    expect(mergeService({ environment: { A: "1" } }, { environment: ["B=2"] })).toEqual({ environment: ["B=2"] });
  });
  it("neither input is changed", () => {
    const base = { ports: ["80:80"], build: { context: "/a", args: { A: "1" } }, deploy: { replicas: 1 } };
    const over = { ports: ["81:81"], build: { context: "/a", args: { B: "2" } }, deploy: { replicas: 3 } };
    const copy = structuredClone([base, over]);
    mergeService(base, over, { build: { args: { B: "2" } } });
    expect([base, over]).toEqual(copy);
  });
});

describe("deepMerge", () => {
  it("a scalar replaces a nested map, and a nested map a scalar", () => {
    expect(deepMerge({ a: { x: 1 }, b: "s" }, { a: "t", b: { y: 2 } })).toEqual({ a: "t", b: { y: 2 } });
  });
  it("merges three levels deep and does not change its inputs", () => {
    const a = { x: { y: { z: 1, w: 2 } } };
    const b = { x: { y: { z: 3 } } };
    expect(deepMerge(a, b)).toEqual({ x: { y: { z: 3, w: 2 } } });
    expect(a).toEqual({ x: { y: { z: 1, w: 2 } } });
  });
});

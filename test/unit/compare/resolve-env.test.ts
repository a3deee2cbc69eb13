import { describe, expect, it } from "vitest";
import { expand, resolveContainerEnv } from "../../../src/compare/resolve-env.js";
import { canonicalHosts } from "../../../src/compare/dns.js";
import { looksSecret } from "../../../src/redact/secrets.js";
import type { KubeObject } from "../../../src/model/index.js";

const cm: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { A: "a", REF: "$(A)-x" } };
const secret: KubeObject = { apiVersion: "v1", kind: "Secret", metadata: { name: "sec" }, data: { PW: Buffer.from("pw").toString("base64") } };

describe("Kubernetes $(VAR) expansion", () => {
  it("expands only variables defined earlier; $$ escapes; unknown stays literal", () => {
    const lookup = (n: string) => ({ A: "1" })[n];
    expect(expand("$(A)/$(B)/$$(A)/$A", lookup)).toEqual({ value: "1/$(B)/$(A)/$A", unexpanded: ["B"] });
  });

  it("resolves envFrom, valueFrom and order of definition", () => {
    const env = resolveContainerEnv(
      {
        name: "c",
        envFrom: [{ configMapRef: { name: "cfg" } }, { prefix: "S_", secretRef: { name: "sec" } }],
        env: [
          { name: "LATE_REF", value: "$(LATER)" },
          { name: "LATER", value: "l" },
          { name: "USE", value: "$(A):$(S_PW):$(LATER)" },
          { name: "PW", valueFrom: { secretKeyRef: { name: "sec", key: "PW" } } },
          { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
          { name: "GONE", valueFrom: { configMapKeyRef: { name: "absent", key: "k" } } },
        ],
      },
      new Map([["cfg", cm]]),
      new Map([["sec", secret]]),
    );
    expect(env.get("A")).toMatchObject({ value: "a", source: "configmap", from: "ConfigMap/cfg" });
    expect(env.get("REF")).toMatchObject({ value: "$(A)-x", unexpanded: ["A"] }); // ConfigMap data is never expanded
    expect(env.get("S_PW")).toMatchObject({ value: "pw", source: "secret" });
    expect(env.get("LATE_REF")).toMatchObject({ value: "$(LATER)", unexpanded: ["LATER"] });
    expect(env.get("USE")).toMatchObject({ value: "a:pw:l", unexpanded: [] });
    expect(env.get("PW")).toMatchObject({ value: "pw", from: "Secret/sec.PW" });
    expect(env.get("NODE")).toMatchObject({ source: "field" });
    expect(env.get("NODE")!.value).toBeUndefined();
    expect(env.get("GONE")).toMatchObject({ source: "configmap" });
    expect(env.get("GONE")!.value).toBeUndefined();
  });
});

describe("DNS-equivalent host names", () => {
  const scope = { namespace: "agentforge", hosts: new Map([["data-collector", "data-collector"], ["postgres", "postgres"], ["db", "postgres"]]) };
  const canon = "http://data-collector.agentforge.svc.cluster.local:8001";
  it.each(["http://data-collector:8001", "http://data-collector.agentforge:8001", "http://data-collector.agentforge.svc:8001", canon])("%s", (v) => {
    expect(canonicalHosts(v, scope)).toBe(canon);
  });
  it("maps compose names, StatefulSet pod names and host:port lists; leaves other hosts and namespaces alone", () => {
    expect(canonicalHosts("postgresql://u:p@db:5432/x", scope)).toBe("postgresql://u:p@postgres.agentforge.svc.cluster.local:5432/x");
    expect(canonicalHosts("postgres-0.postgres.agentforge.svc.cluster.local:5432", scope)).toBe("postgres.agentforge.svc.cluster.local:5432");
    expect(canonicalHosts("db:5432,postgres:5432", scope)).toBe("postgres.agentforge.svc.cluster.local:5432,postgres.agentforge.svc.cluster.local:5432");
    expect(canonicalHosts("http://example.com/postgres", scope)).toBe("http://example.com/postgres");
    expect(canonicalHosts("http://data-collector.other:8001", scope)).toBe("http://data-collector.other:8001");
    expect(canonicalHosts("postgres", scope)).toBe("postgres.agentforge.svc.cluster.local");
  });
});

describe("secret-looking variables", () => {
  it.each([
    ["POSTGRES_PASSWORD", "x", true],
    ["SECRET_KEY", "x", true],
    ["ENCRYPTION_KEY", "x", true],
    ["GITHUB_TOKEN", "x", true],
    ["DATABASE_URL", "postgresql://u:p@db/x", true],
    ["REDIS_URL", "redis://:pw@redis:6379/0", true],
    ["REDIS_URL", "redis://redis:6379/0", false],
    ["KEYBOARD_LAYOUT", "us", false],
    ["DEBUG", "false", false],
  ])("%s=%s → %s", (name, value, want) => {
    expect(looksSecret(name, value)).toBe(want);
  });
});

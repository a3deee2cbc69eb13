// The one way to the API server: every request names devenv in its User-Agent, every write
// names the field manager `devenv`, and each request is one line on the `devenv:kube` debug
// channel, without its body. Against a plain HTTP server that records what it was sent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { format } from "node:util";
import createDebug from "debug";
import { KubeConfig } from "@kubernetes/client-node";
import { KubeRest } from "../../../src/kube/rest.js";
import { scaleToZero } from "../../../src/kube/scale.js";

const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
let server: Server;
let rest: KubeRest;
const debugLines: string[] = [];
const version = (JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string }).version;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.setHeader("content-type", "application/json");
      if (req.url === "/version") return res.end(JSON.stringify({ gitVersion: "v1.33.1" }));
      if (req.method === "GET" && req.url?.includes("/deployments?")) return res.end(JSON.stringify({ items: [{ metadata: { name: "api" }, spec: { replicas: 2 } }], metadata: { resourceVersion: "1" } }));
      if (req.method === "GET" && req.url?.includes("/statefulsets?")) return res.end(JSON.stringify({ items: [], metadata: { resourceVersion: "1" } }));
      res.end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: "t", server: `http://127.0.0.1:${(server.address() as { port: number }).port}`, skipTLSVerify: true }], users: [{ name: "u", token: "t0ken" }], contexts: [{ name: "c", cluster: "t", user: "u" }], currentContext: "c" });
  rest = new KubeRest(kc);
  createDebug.enable("devenv:kube");
  createDebug.log = (...args: unknown[]) => void debugLines.push(format(...args));
});

afterAll(() => {
  createDebug.disable();
  server?.close();
});

describe("the kube funnel", () => {
  it("names devenv and its version in the User-Agent of every request, and sends the credentials", async () => {
    expect((await rest.version()).gitVersion).toBe("v1.33.1");
    const last = seen.at(-1)!;
    expect(last.headers["user-agent"]).toBe(`devenv/${version}`);
    expect(last.headers.authorization).toBe("Bearer t0ken");
  });

  it("every write names fieldManager=devenv, the /scale merge patches included", async () => {
    seen.length = 0;
    await rest.create("/api/v1/namespaces/x/configmaps", { metadata: { name: "c" } });
    await rest.patch("/apis/apps/v1/namespaces/x/deployments/y", { metadata: { name: "y" } }, "apply", { force: true });
    await rest.patch("/apis/apps/v1/namespaces/x/deployments/y", { spec: {} }, "strategic");
    await rest.request("PUT", "/api/v1/namespaces/x/configmaps/c", { body: {} });
    expect(await scaleToZero(rest, "x", "shop")).toEqual(["Deployment/api"]);
    const writes = seen.filter((s) => s.method !== "GET");
    expect(writes.map((w) => `${w.method} ${new URL(w.url, "http://x").pathname} ${new URL(w.url, "http://x").searchParams.get("fieldManager")} ${w.headers["content-type"]}`)).toEqual([
      "POST /api/v1/namespaces/x/configmaps devenv application/json",
      "PATCH /apis/apps/v1/namespaces/x/deployments/y devenv application/apply-patch+yaml",
      "PATCH /apis/apps/v1/namespaces/x/deployments/y devenv application/strategic-merge-patch+json",
      "PUT /api/v1/namespaces/x/configmaps/c devenv application/json",
      "PATCH /apis/apps/v1/namespaces/x/deployments/api/scale devenv application/merge-patch+json",
    ]);
    expect(writes.every((w) => w.headers["user-agent"] === `devenv/${version}`)).toBe(true);
  });

  it("says each request on the debug channel, never its body", async () => {
    debugLines.length = 0;
    await rest.patch("/apis/apps/v1/namespaces/x/deployments/y", { data: { password: "hunter2" } }, "apply");
    await rest.list("/api/v1/namespaces/x/pods", { labelSelector: "app=api" });
    await rest.delete("/api/v1/namespaces/x/secrets/s", { propagationPolicy: "Background" });
    expect(debugLines).toHaveLength(3);
    expect(debugLines[0]).toContain("devenv:kube PATCH /apis/apps/v1/namespaces/x/deployments/y (apply, fieldManager devenv)");
    expect(debugLines[1]).toContain("GET /api/v1/namespaces/x/pods (labelSelector=app=api)");
    expect(debugLines[2]).toContain("DELETE /api/v1/namespaces/x/secrets/s (propagationPolicy=Background)");
    expect(debugLines.join("\n")).not.toContain("hunter2");
  });
});

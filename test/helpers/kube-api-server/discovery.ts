// Discovery documents in the legacy (non-aggregated) format. client-go asks for the
// aggregated format first but accepts plain application/json, so that is all we serve.
import type { ResourceRegistry, ResourceType } from "./resources.js";

const VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export function version(): Record<string, string> {
  return { major: "1", minor: "32", gitVersion: "v1.32.0", gitCommit: "test", gitTreeState: "clean", buildDate: "2025-01-01T00:00:00Z", goVersion: "go1.23.0", compiler: "gc", platform: "linux/amd64" };
}

export function apiVersions(serverAddress: string) {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

function group(name: string, versions: string[]) {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(registry: ResourceRegistry) {
  const groups = [...registry.groups()].filter(([g]) => g !== "").map(([g, vs]) => group(g, vs));
  return { kind: "APIGroupList", apiVersion: "v1", groups };
}

export function apiGroup(registry: ResourceRegistry, name: string) {
  const vs = registry.groups().get(name);
  return vs && name ? { kind: "APIGroup", apiVersion: "v1", ...group(name, vs) } : undefined;
}

function entry(t: ResourceType) {
  return { name: t.plural, singularName: t.singular, namespaced: t.namespaced, kind: t.kind, verbs: VERBS, ...(t.shortNames.length ? { shortNames: t.shortNames } : {}) };
}

export function apiResourceList(registry: ResourceRegistry, groupName: string, version: string) {
  const types = registry.all().filter((t) => t.group === groupName && t.version === version);
  if (types.length === 0) return undefined;
  const resources = types.flatMap((t) => {
    const subs = [entry(t)];
    if (t.status) subs.push({ name: `${t.plural}/status`, singularName: "", namespaced: t.namespaced, kind: t.kind, verbs: ["get", "patch", "update"] });
    if (t.group === "apps" && t.kind !== "DaemonSet") subs.push({ name: `${t.plural}/scale`, singularName: "", namespaced: true, kind: "Scale", verbs: ["get", "patch", "update"] });
    if (t.kind === "Pod" && t.group === "") {
      subs.push({ name: "pods/log", singularName: "", namespaced: true, kind: "Pod", verbs: ["get"] });
      subs.push({ name: "pods/portforward", singularName: "", namespaced: true, kind: "PodPortForwardOptions", verbs: ["create", "get"] });
    }
    return subs;
  });
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: groupName ? `${groupName}/${version}` : version, resources };
}

/** `/openapi/v3`: one entry per group-version, as client-go's OpenAPI v3 root reads it. */
export function openApiV3Root(registry: ResourceRegistry) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [g, vs] of registry.groups()) {
    for (const v of vs) {
      const p = g ? `apis/${g}/${v}` : `api/${v}`;
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${registry.all().length}` };
    }
  }
  return { paths };
}

/**
 * `/openapi/v3/apis/<g>/<v>`: only the PATCH operations with their GVK and the
 * `fieldValidation` parameter, which is what kubectl checks before it trusts the server to
 * validate (so it never needs client-side schemas).
 */
export function openApiV3GroupVersion(registry: ResourceRegistry, groupName: string, version: string) {
  const types = registry.all().filter((t) => t.group === groupName && t.version === version);
  if (types.length === 0) return undefined;
  const prefix = groupName ? `/apis/${groupName}/${version}` : `/api/${version}`;
  const paths: Record<string, unknown> = {};
  for (const t of types) {
    const path = t.namespaced ? `${prefix}/namespaces/{namespace}/${t.plural}/{name}` : `${prefix}/${t.plural}/{name}`;
    paths[path] = {
      patch: {
        operationId: `patch${t.kind}`,
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": { group: t.group, version: t.version, kind: t.kind },
        parameters: ["dryRun", "fieldManager", "fieldValidation", "force"].map((name) => ({ name, in: "query", schema: { type: name === "force" ? "boolean" : "string", uniqueItems: true } })),
        responses: { "200": { description: "OK" } },
      },
    };
  }
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: "v1.32.0" }, paths };
}

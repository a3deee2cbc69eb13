// The resource types the test API server knows, as the real server's discovery lists them.
// CRDs add their own types at runtime; anything else is a 404 like the real server.

/** One REST resource: `apps/v1` `deployments` of kind `Deployment`. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  /** Whether it has a `/status` subresource. */
  status: boolean;
}

const core = (kind: string, plural: string, namespaced: boolean, shortNames: string[] = [], status = false): ResourceType => ({
  group: "",
  version: "v1",
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  shortNames,
  status,
});
const grouped = (gv: string, kind: string, plural: string, namespaced: boolean, shortNames: string[] = [], status = false): ResourceType => {
  const [group, version] = gv.split("/") as [string, string];
  return { ...core(kind, plural, namespaced, shortNames, status), group, version };
};

export const BUILTIN_TYPES: ResourceType[] = [
  core("Namespace", "namespaces", false, ["ns"], true),
  core("ConfigMap", "configmaps", true, ["cm"]),
  core("Secret", "secrets", true),
  core("Service", "services", true, ["svc"], true),
  core("ServiceAccount", "serviceaccounts", true, ["sa"]),
  core("PersistentVolumeClaim", "persistentvolumeclaims", true, ["pvc"], true),
  core("PersistentVolume", "persistentvolumes", false, ["pv"], true),
  core("Pod", "pods", true, ["po"], true),
  core("Event", "events", true, ["ev"]),
  core("Endpoints", "endpoints", true, ["ep"]),
  grouped("apps/v1", "Deployment", "deployments", true, ["deploy"], true),
  grouped("apps/v1", "StatefulSet", "statefulsets", true, ["sts"], true),
  grouped("apps/v1", "DaemonSet", "daemonsets", true, ["ds"], true),
  grouped("apps/v1", "ReplicaSet", "replicasets", true, ["rs"], true),
  grouped("batch/v1", "Job", "jobs", true, [], true),
  grouped("batch/v1", "CronJob", "cronjobs", true, ["cj"], true),
  grouped("networking.k8s.io/v1", "Ingress", "ingresses", true, ["ing"], true),
  grouped("networking.k8s.io/v1", "IngressClass", "ingressclasses", false),
  grouped("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", true, ["netpol"]),
  grouped("autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, ["hpa"], true),
  grouped("policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", true, ["pdb"], true),
  grouped("rbac.authorization.k8s.io/v1", "Role", "roles", true),
  grouped("rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", true),
  grouped("rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", false),
  grouped("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings", false),
  grouped("storage.k8s.io/v1", "StorageClass", "storageclasses", false, ["sc"]),
  grouped("apiextensions.k8s.io/v1", "CustomResourceDefinition", "customresourcedefinitions", false, ["crd", "crds"], true),
];

/** The mutable set of types: built-ins plus what CRDs register. */
export class ResourceRegistry {
  private readonly types: ResourceType[] = [...BUILTIN_TYPES];

  all(): ResourceType[] {
    return this.types;
  }

  byPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes("/") ? (apiVersion.split("/") as [string, string]) : ["", apiVersion];
    return this.types.find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  /** Group → versions, in registration order (the first is preferred). */
  groups(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const t of this.types) {
      const versions = out.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      out.set(t.group, versions);
    }
    return out;
  }

  /** Registers the types a CustomResourceDefinition declares. */
  registerCrd(crd: Record<string, any>): void {
    const spec = crd.spec ?? {};
    for (const v of spec.versions ?? []) {
      if (v.served === false || this.byPlural(spec.group, v.name, spec.names?.plural)) continue;
      this.types.push({
        group: spec.group,
        version: v.name,
        kind: spec.names.kind,
        plural: spec.names.plural,
        singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
        namespaced: spec.scope !== "Cluster",
        shortNames: spec.names.shortNames ?? [],
        status: Boolean(v.subresources?.status),
      });
    }
  }

  apiVersionOf(t: ResourceType): string {
    return t.group ? `${t.group}/${t.version}` : t.version;
  }
}

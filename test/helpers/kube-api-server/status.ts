// metav1.Status failures, shaped like the real API server's.
import type { ResourceType } from "./resources.js";

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: this.message, reason: this.reason, ...(this.details ? { details: this.details } : {}), code: this.code };
  }
}

const qualified = (t: ResourceType) => (t.group ? `${t.plural}.${t.group}` : t.plural);
const kindQualified = (t: ResourceType) => (t.group ? `${t.kind}.${t.group}` : t.kind);

export const notFound = (t: ResourceType, name: string) =>
  new ApiError(404, "NotFound", `${qualified(t)} "${name}" not found`, { name, ...(t.group ? { group: t.group } : {}), kind: t.plural });

export const alreadyExists = (t: ResourceType, name: string) =>
  new ApiError(409, "AlreadyExists", `${qualified(t)} "${name}" already exists`, { name, ...(t.group ? { group: t.group } : {}), kind: t.plural });

export const conflictRv = (t: ResourceType, name: string) =>
  new ApiError(409, "Conflict", `Operation cannot be fulfilled on ${qualified(t)} "${name}": the object has been modified; please apply your changes to the latest version and try again`, {
    name,
    ...(t.group ? { group: t.group } : {}),
    kind: t.plural,
  });

/** NamespaceLifecycle admission (staging/src/k8s.io/apiserver/pkg/admission/plugin/namespace/lifecycle/admission.go). */
export const namespaceTerminating = (t: ResourceType, ns: string, name: string) =>
  new ApiError(403, "Forbidden", `${qualified(t)} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`, {
    name,
    ...(t.group ? { group: t.group } : {}),
    kind: t.plural,
    causes: [{ reason: "NamespaceTerminating", message: `namespace ${ns} is being terminated`, field: "metadata.namespace" }],
  });

export const badRequest = (message: string) => new ApiError(400, "BadRequest", message);

export const pathNotFound = () => new ApiError(404, "NotFound", "the server could not find the requested resource", {});

/** One invalid field, as `field: Required value` or `field: Invalid value: "x": why`. */
export interface FieldError {
  field: string;
  reason: "FieldValueRequired" | "FieldValueInvalid" | "FieldValueNotSupported" | "FieldValueForbidden";
  message: string;
}

export const invalid = (t: ResourceType, name: string, errors: FieldError[]) => {
  const parts = errors.map((e) => `${e.field}: ${e.message}`);
  const list = parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`;
  return new ApiError(422, "Invalid", `${kindQualified(t)} "${name}" is invalid: ${list}`, {
    name,
    ...(t.group ? { group: t.group } : {}),
    kind: t.kind,
    causes: errors.map((e) => ({ reason: e.reason, message: e.message, field: e.field })),
  });
};

/** Server-side apply conflicts: 409 with one cause per field, like the real field manager. */
export const applyConflict = (conflicts: { manager: string; apiVersion: string; field: string }[]) => {
  const lines = conflicts.map((c) => `conflict with "${c.manager}" using ${c.apiVersion}: ${c.field}`);
  const message = conflicts.length === 1 ? `Apply failed with 1 conflict: ${lines[0]}` : `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  return new ApiError(409, "Conflict", message, {
    causes: conflicts.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with "${c.manager}" using ${c.apiVersion}`, field: c.field })),
  });
};

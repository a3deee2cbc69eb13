// CONTRACT (issue #4 fills it): server-side apply of objects, and waits.
import type { KubeConfig } from "@kubernetes/client-node";
import type { KubeObject } from "../steps/context.js";
import { DevenvError } from "../errors/devenv-error.js";

export interface ApplyOptions {
  /** Field manager; devenv's own objects use "devenv". */
  fieldManager?: string;
  /** Environment name, for the ownership labels. */
  envName: string;
  /** Default namespace for namespaced objects without one. */
  namespace?: string;
}

export interface ApplyResult {
  created: number;
  changed: number;
  unchanged: number;
}

/** Server-side applies `objects` in the order given. */
export async function applyObjects(_kc: KubeConfig, _objects: KubeObject[], _opts: ApplyOptions): Promise<ApplyResult> {
  throw new DevenvError("applyObjects: not implemented yet", { hint: "tracked in issue #4" });
}

/** Waits until each object is ready (rollout done, Job complete, PVC bound...), explaining failures. */
export async function waitReady(_kc: KubeConfig, _objects: KubeObject[], _timeoutMs: number): Promise<void> {
  throw new DevenvError("waitReady: not implemented yet", { hint: "tracked in issue #4" });
}

// CONTRACT (issue #4 fills it): a port-forward to a pod behind a Service, through client-node.
import type { KubeConfig } from "@kubernetes/client-node";
import { DevenvError } from "../errors/devenv-error.js";

export interface PortForward {
  /** Local port on 127.0.0.1. */
  localPort: number;
  close(): Promise<void>;
}

export async function openPortForward(_kc: KubeConfig, _namespace: string, _service: string, _port: number): Promise<PortForward> {
  throw new DevenvError("openPortForward: not implemented yet", { hint: "tracked in issue #4" });
}

// Shared bits for cluster tests on the real engine: how to run a node stand-in, a free port.
import { createServer } from "node:net";

/** `docker run` flags devenv-local/kind-node needs here (--privileged fails on this machine). */
export const nodeContainerArgs = ["--cap-add", "ALL", "--cap-drop", "SYS_RESOURCE", "--security-opt", "seccomp=unconfined", "--tmpfs", "/run", "--tmpfs", "/tmp", "-v", "/var/lib/containerd"];

/** A TCP port free right now on all interfaces. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "0.0.0.0", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

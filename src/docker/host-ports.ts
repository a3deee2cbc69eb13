// Who holds a TCP port: a bind test, then `ss`, then the Docker container that publishes it.
import { createServer } from "node:net";
import { docker } from "./client.js";
import { tryRun } from "../exec/runner.js";

/** Whether a TCP port on all interfaces can be bound right now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const srv = createServer();
    srv.once("error", () => resolveFree(false));
    srv.listen({ port, host: "0.0.0.0", exclusive: true }, () => srv.close(() => resolveFree(true)));
  });
}

export async function portOwner(port: number): Promise<string | undefined> {
  const ss = await tryRun("ss", ["-ltnpH", `sport = :${port}`], { timeoutMs: 3000 }).catch(() => undefined);
  const m = ss && /users:\(\("([^"]+)"/.exec(ss.stdout);
  if (m && m[1] !== "docker-proxy") return m[1]; // a published port: name the container instead
  try {
    const d = await docker();
    const containers = await d.containers.list();
    const c = containers.find((x) => x.Ports?.some((p) => p.PublicPort === port));
    if (c) return `container ${c.Names[0]?.replace(/^\//, "")}`;
  } catch {
    /* no daemon */
  }
  return undefined;
}

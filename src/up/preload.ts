// The modules `up` will load anyway, loaded before devenv.ts is: importing devenv.ts installs
// tsx's loader hooks, after which every import and require of the process goes through them
// (the Docker client alone, with the gRPC code it requires, cost ~1.3 s of CPU that way on a busy
// 2-core machine, against a fraction before). Loading them first changes nothing else.
import type { Target } from "../model/index.js";

export async function preloadUp(target: Target): Promise<void> {
  await Promise.all([
    import("../docker/client.js").then((m) => m.docker()), // dockerode (and @grpc/grpc-js): made on first use
    import("../seed/index.js"), // pg, ioredis: the seed step imports it when it runs
    import("listr2"), // the step runner's renderer, imported when the steps start
    target === "compose" ? import("../compose/load.js") : import("../kube/rest.js"),
  ]);
}

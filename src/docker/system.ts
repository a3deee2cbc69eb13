// networks.*, info, version and the /_ping headers of the Docker client over dockerode; each
// call says itself on the debug channel.
import { request } from "node:http";
import type Dockerode from "dockerode";
import { debugFor } from "../debug/index.js";
import { describeFilters } from "./containers.js";
import type { DockerClient, EngineInfo, EngineVersion } from "./types.js";

const debug = debugFor("docker");

export function networksOf(d: Dockerode): DockerClient["networks"] {
  return {
    async list(opts = {}) {
      debug(`networks.list ${describeFilters(opts.filters)}`.trimEnd());
      return (await d.listNetworks(opts)) as { Id: string }[];
    },
    async connect(network, opts) {
      debug(`networks.connect ${network} ${opts.Container}`);
      await d.getNetwork(network).connect(opts as Dockerode.NetworkConnectOptions);
    },
    async disconnect(network, opts) {
      debug(`networks.disconnect ${network} ${opts.Container}${opts.Force ? " (force)" : ""}`);
      await d.getNetwork(network).disconnect(opts);
    },
    async remove(network) {
      debug(`networks.remove ${network}`);
      await d.getNetwork(network).remove();
    },
  };
}

export function systemOf(d: Dockerode): Pick<DockerClient, "info" | "version" | "pingHeaders"> {
  return {
    async info() {
      debug("info");
      return (await d.info()) as EngineInfo;
    },
    async version() {
      debug("version");
      return (await d.version()) as EngineVersion;
    },
    // dockerode's ping() returns the body only, so this asks the same socket or host itself.
    async pingHeaders() {
      const m = d.modem as unknown as { socketPath?: string | (() => Promise<string>); host?: string; port?: number | string; protocol?: string };
      // Over TLS the headers need the client certificates; the caller stays with what every engine has.
      if (m.protocol === "https") return undefined;
      // docker-modem may hold a function that finds the default socket (Docker Desktop paths).
      const socketPath = typeof m.socketPath === "function" ? await m.socketPath() : m.socketPath;
      debug(`ping ${socketPath || `${m.host}:${m.port}`}`);
      return new Promise((resolve) => {
        const req = request({ socketPath: socketPath || undefined, host: socketPath ? undefined : m.host, port: socketPath ? undefined : m.port, path: "/_ping", method: "GET", timeout: 3000 }, (res) => {
          res.resume();
          resolve(res.headers);
        });
        req.on("error", () => resolve(undefined));
        req.on("timeout", () => req.destroy());
        req.end();
      });
    },
  };
}

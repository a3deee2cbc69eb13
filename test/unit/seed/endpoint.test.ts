import { describe, expect, it } from "vitest";
import { envSchema } from "../../../src/config/schema.js";
import type { LoadedEnv } from "../../../src/config/load.js";
import { addressFromInspect } from "../../../src/seed/endpoint.js";
import { composeProjectName } from "../../../src/compose/project-name.js";

const env = (raw: unknown): LoadedEnv => {
  const config = envSchema.parse(raw);
  return { config, file: "/p/devenv.ts", root: "/p", namespace: config.name };
};

describe("addressFromInspect", () => {
  it("uses the published port on localhost", () => {
    expect(addressFromInspect({ NetworkSettings: { Ports: { "5432/tcp": [{ HostIp: "0.0.0.0", HostPort: "49153" }] } } }, 5432)).toEqual({ host: "127.0.0.1", port: 49153 });
    expect(addressFromInspect({ NetworkSettings: { Ports: { "5432/tcp": [{ HostIp: "127.0.0.2", HostPort: "6000" }] } } }, 5432)).toEqual({ host: "127.0.0.2", port: 6000 });
  });

  it("falls back to the container's bridge IP and the container port when not published", () => {
    const info = { NetworkSettings: { Ports: { "6379/tcp": null }, Networks: { app_default: { IPAddress: "172.18.0.3" } } } };
    expect(addressFromInspect(info, 6379)).toEqual({ host: "172.18.0.3", port: 6379 });
    expect(addressFromInspect({ NetworkSettings: {} }, 6379)).toBeUndefined();
  });
});

describe("compose naming", () => {
  it("normalises the project name like compose does", () => {
    expect(composeProjectName(env({ name: "shop" }))).toBe("shop");
    expect(composeProjectName(env({ name: "shop", compose: { files: ["c.yml"], projectName: "My.Stack" } }))).toBe("mystack");
  });

});

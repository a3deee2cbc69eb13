// The stamp that lets a no-op `up --target compose` skip compose: any change to what compose
// reads, or to the containers it left, must make it not hold.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LoadedEnv } from "../../../src/config/load.js";
import { envSchema } from "../../../src/config/schema.js";
import { inputsKey, readUpStamp, referencedVariables, stampHolds, writeUpStamp } from "../../../src/compose/up-stamp.js";

let root: string;
let env: LoadedEnv;
const args = ["-p", "shop", "-f", "compose.yaml"];
const key = (shell: Record<string, string> = {}, override = "services: {}") => inputsKey(env, args, override, shell);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "devenv-upstamp-"));
  mkdirSync(join(root, "compose"));
  writeFileSync(join(root, "compose", "compose.yaml"), "services:\n  web:\n    image: nginx\n    ports: ['${WEB_PORT:-8080}:80']\n    cap_add: [NET_ADMIN]\n");
  writeFileSync(join(root, "compose", ".env"), "TAG=1\n");
  const config = envSchema.parse({ name: "shop", compose: { files: ["compose/compose.yaml"], projectName: "shop" } });
  env = { config, root, file: join(root, "devenv.ts"), namespace: "shop" } as unknown as LoadedEnv;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("inputsKey", () => {
  it("is the same for the same inputs, whatever unrelated shell variables do", () => {
    expect(key({ HOME: "/a" })).toBe(key({ HOME: "/b" }));
  });

  it("changes with a field devenv's compose model does not read (cap_add), the default .env, a variable the file names, COMPOSE_*, the override", () => {
    const base = key();
    writeFileSync(join(root, "compose", "compose.yaml"), "services:\n  web:\n    image: nginx\n    ports: ['${WEB_PORT:-8080}:80']\n    cap_add: [SYS_ADMIN]\n");
    const capAdd = key();
    expect(capAdd).not.toBe(base);
    writeFileSync(join(root, "compose", ".env"), "TAG=2\n");
    expect(key()).not.toBe(capAdd);
    expect(key({ WEB_PORT: "9090" })).not.toBe(key());
    expect(key({ COMPOSE_PROFILES: "debug" })).not.toBe(key());
    expect(key({}, "services: {web: {image: web:devenv-2}}")).not.toBe(key());
  });
});

describe("referencedVariables", () => {
  it("finds $X, ${X} and ${X:-default}", () => {
    expect(referencedVariables(["a: $A\nb: ${B}\nc: ${C:-x}\nd: $$D_LITERAL"])).toEqual(["A", "B", "C", "D_LITERAL"]);
  });
});

describe("stampHolds", () => {
  const stamp = { config: "k", containers: ["b", "a"] };
  it("holds for the same key and the very same containers, in any order", () => {
    expect(stampHolds(stamp, "k", ["a", "b"])).toBe(true);
  });
  it("does not hold without a stamp, for another key, a recreated, a removed or an added container", () => {
    expect(stampHolds(undefined, "k", ["a", "b"])).toBe(false);
    expect(stampHolds(stamp, "other", ["a", "b"])).toBe(false);
    expect(stampHolds(stamp, "k", ["a", "c"])).toBe(false);
    expect(stampHolds(stamp, "k", ["a"])).toBe(false);
    expect(stampHolds(stamp, "k", ["a", "b", "c"])).toBe(false);
  });
});

describe("the stamp file", () => {
  it("is written 0600 under .devenv/, read back, and removed", () => {
    writeUpStamp(env, { config: "k", containers: ["b", "a"] });
    const path = join(root, ".devenv", "compose.shop.stamp.json");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readUpStamp(env)).toEqual({ config: "k", containers: ["a", "b"] });
    writeUpStamp(env, undefined);
    expect(readUpStamp(env)).toBeUndefined();
  });
  it("a damaged file is no stamp", () => {
    writeUpStamp(env, { config: "k", containers: [] });
    writeFileSync(join(root, ".devenv", "compose.shop.stamp.json"), "{not json");
    expect(readUpStamp(env)).toBeUndefined();
    expect(readFileSync(join(root, ".devenv", ".gitignore"), "utf8")).toBe("*\n");
  });
});

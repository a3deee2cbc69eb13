// Gate for tests that need the real Docker engine. They skip with a printed reason when no
// daemon answers, but fail under CI=true or DEVENV_REQUIRE_DOCKER=1 so CI can never pass by
// skipping them.
import { describe } from "vitest";
import { pingDocker } from "../../src/docker/client.js";

const required = process.env.CI === "true" || process.env.DEVENV_REQUIRE_DOCKER === "1";
const ping = await pingDocker(5000);

export const dockerAvailable = ping.ok;

if (!ping.ok) {
  const msg = `Docker engine not reachable (${ping.reason})`;
  if (required) throw new Error(`${msg}; CI=true / DEVENV_REQUIRE_DOCKER=1 requires it (start dockerd: see .ci/run)`);
  console.warn(`[skip] ${msg}: Docker tests skipped. Set DEVENV_REQUIRE_DOCKER=1 to make this an error.`);
}

/** `describe` that runs only with a reachable engine (and fails in CI without one). */
export const describeDocker: typeof describe = (ping.ok ? describe : describe.skip) as typeof describe;

/** Local images built by test/images/build.sh; names used by tests and the CI overrides. */
export const LOCAL_IMAGES = {
  debian: "devenv-local/debian:bookworm",
  node: "devenv-local/node:20",
  postgres: "devenv-local/postgres:16",
  redis: "devenv-local/redis:7",
  kindNode: "devenv-local/kind-node:latest",
} as const;

/** The image overrides CI uses (.ci/run sets DEVENV_IMAGE_OVERRIDES to the same). */
export const LOCAL_OVERRIDES =
  "node:20=devenv-local/node:20,node:20-slim=devenv-local/node:20,postgres:16=devenv-local/postgres:16,redis:7=devenv-local/redis:7,registry:2=devenv-local/registry:2";

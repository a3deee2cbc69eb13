// `devenv up --only ...` says which steps ran, never that the environment is up.
import { expect, it } from "vitest";
import { ranOnly } from "../../../src/cli/commands/up.js";

it("names the steps that ran and those that had nothing to do", () => {
  expect(ranOnly([{ id: "render-manifests", status: "done" }])).toBe("✓ ran render-manifests (--only: the other steps of `devenv up` did not run)");
  expect(ranOnly([{ id: "build-images", status: "skipped", reason: "no images declared" }, { id: "render-manifests", status: "done" }])).toBe(
    "✓ ran render-manifests; skipped build-images (no images declared) (--only: the other steps of `devenv up` did not run)",
  );
  expect(ranOnly([])).not.toMatch(/is up/);
});

// The report's safety net (src/compare/findings.ts): every known secret value is `***` wherever
// a rule printed it, short ones included, and a secret that contains another is masked whole.
// Compared inside `it` (per-test mutation coverage sees nothing computed at collection time).
import { describe, expect, it } from "vitest";
import { compareYaml, deployment } from "./compare-yaml.js";

const seedArgs = (compose: string, k8sValue: string) =>
  compareYaml(compose, deployment("seed", `{ name: seed, image: s, env: [{ name: SEED_ARGS, value: "${k8sValue}" }] }`)).findings.find((f) => f.rule === "env.value" && f.variable === "SEED_ARGS")!;

describe("known secret values in printed text", () => {
  it("a three-character password is masked where it shows in another variable", () => {
    const f = seedArgs("services:\n  seed:\n    image: s\n    environment:\n      ADMIN_PASSWORD: x9q\n      SEED_ARGS: --admin x9q\n", "--admin nobody");
    expect(f.compose).toBe('"--admin ***"');
    expect(f.message).not.toContain("x9q");
  });
  it("a password that contains another password is masked whole, not around the shorter one", () => {
    const f = seedArgs("services:\n  seed:\n    image: s\n    environment:\n      DB_PASSWORD: hunter2\n      ADMIN_PASSWORD: hunter2-admin\n      SEED_ARGS: --as hunter2-admin\n", "--as nobody");
    expect(f.compose).toBe('"--as ***"');
    expect(f.message).not.toContain("-admin");
  });
});

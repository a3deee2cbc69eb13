// Error messages about bad input name the file, the line and the key, never the value (issue 16).
import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDotenv } from "../../../src/files/dotenv.js";
import { interpolate, InterpolationError } from "../../../src/files/interpolate.js";
import { DevenvError } from "../../../src/errors/devenv-error.js";
import { formatError } from "../../../src/errors/report.js";
import { makeStyle } from "../../../src/ui/style.js";
import { devSecrets } from "../../../src/kube/secrets.js";
import { parseManifests } from "../../../src/kube/manifests.js";
import { envSchema } from "../../../src/config/schema.js";
import { loadCompose } from "../../../src/compose/load.js";
import { thrown } from "../../helpers/errors.js";

const V = "s3cr3t-MARKER-7f3a";


/** Everything the user would see, without --verbose. */
const printed = (e: DevenvError) => formatError(e, makeStyle(false), false);

function expectClear(e: DevenvError, message: RegExp, where: RegExp): void {
  expect(e.exitCode).toBe(2);
  expect(e.message).toMatch(message);
  expect(e.where ?? "").toMatch(where);
  expect(e.hint).toBeTruthy();
  const out = printed(e);
  expect(out).not.toContain(V);
  expect(out).not.toMatch(/\n\s+at .*\(.*\.[jt]s:\d+:\d+\)/);
}

describe(".env errors never echo the value", () => {
  it.each([
    ["KEY: value (YAML syntax)", `OK=1\nDB_PASSWORD: ${V}\n`, /malformed line 2 in .*x\.env: DB_PASSWORD is followed by ":", not "="/, /x\.env:2:1$/, /write DB_PASSWORD=VALUE/],
    ["KEY value (a space)", `DB_PASSWORD ${V}\n`, /malformed line 1 in .*x\.env: DB_PASSWORD is followed by more text, not "="/, /x\.env:1:1$/, /write DB_PASSWORD=VALUE/],
    ["no name", `=${V}\n`, /malformed line 1 in .*x\.env: not KEY=VALUE/, /x\.env:1:1$/, /write KEY=VALUE/],
    ["a bad name", `1PASS=${V}\n`, /malformed line 1 in .*x\.env: "1PASS" is not a variable name/, /x\.env:1:1$/, /not starting with a digit/],
    ["a pasted value", `${V}\n`.replace(/-/g, " "), /malformed line 1 in .*x\.env: s3cr3t is followed by more text/, /x\.env:1:1$/, /write s3cr3t=VALUE/],
    ["unterminated quote", `A=1\nTOKEN="${V}\n`, /unterminated " quote in .*x\.env/, /x\.env:2:1$/, /close the value of TOKEN with "/],
    ["unclosed ${", `A=1\nB=2\nDATABASE_URL=postgres://u:${V}@\${DB_HOST\n`, /x\.env: the value of DATABASE_URL: unclosed "\$\{" in \$\{DB_HOST: no matching "\}"/, /x\.env:3:1$/, /write \$\{DB_HOST\}/],
    ["bad ${...} operator", `PASSWORD=\${X:=${V}}\n`, /x\.env: the value of PASSWORD: invalid interpolation format in \$\{X\.\.\.\}/, /x\.env:1:1$/, /\$\{X\}/],
    ["${ without a name", `PASSWORD=\${:-${V}}\n`, /x\.env: the value of PASSWORD: invalid interpolation format: a variable name after "\$\{" must start with a letter/, /x\.env:1:1$/, /\$\{NAME\}/],
  ])("%s", (_label, text, message, where, hint) => {
    const e = thrown(() => parseDotenv(text, "/tmp/x.env"));
    expectClear(e, message, where);
    expect(e.hint).toMatch(hint);
    expect(e.message).not.toContain("MARKER");
  });

  it("a bare KEY still takes its value from the environment", () => {
    expect(parseDotenv("HOME\nexport X=1\n", ".env", (n) => (n === "HOME" ? "/h" : undefined))).toEqual({ HOME: "/h", X: "1" });
  });

  it("interpolation errors carry the variable, not the text", () => {
    try {
      interpolate(`pw=${V} \${HOST`, () => undefined);
      throw new Error("expected an error");
    } catch (e) {
      expect(e).toBeInstanceOf(InterpolationError);
      expect((e as InterpolationError).variable).toBe("HOST");
      expect((e as InterpolationError).kind).toBe("syntax");
      expect((e as Error).message).not.toContain(V);
    }
  });
});

describe("compose interpolation errors never echo the value", () => {
  const root = mkdtempSync(join(tmpdir(), "devenv-noecho-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  it("an unclosed ${ names the file:line and the variable", () => {
    writeFileSync(join(root, "compose.yml"), `services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: "${V}\${TAIL"\n`);
    const e = thrown(() => loadCompose({ files: [join(root, "compose.yml")], cwd: root, env: {} }));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(/variable TAIL: unclosed "\$\{" in \$\{TAIL/);
    expect(e.where).toMatch(/compose\.yml:5:\d+/);
    expect(e.hint).toMatch(/write \$\{TAIL\}/);
    expect(printed(e)).not.toContain(V);
  });
});

describe("a corrupt .devenv/secrets/*.json", () => {
  const manifests = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      containers:
      - name: api
        image: shop/api
        env:
        - {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}
`;
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  it.each([
    ["not JSON", `{"password": "${V}"`, /\.devenv\/secrets\/db\.json is corrupt: it is not valid JSON/],
    ["not an object of strings", `{"password": ["${V}"]}`, /\.devenv\/secrets\/db\.json is corrupt: expected a JSON object of string values/],
    ["an array", `["${V}"]`, /is corrupt: expected a JSON object/],
  ])("%s: names the file and how to fix it, without its bytes", (_label, bytes, message) => {
    const root = mkdtempSync(join(tmpdir(), "devenv-corrupt-"));
    roots.push(root);
    mkdirSync(join(root, ".devenv", "secrets"), { recursive: true });
    writeFileSync(join(root, ".devenv", "secrets", "db.json"), bytes);
    const env = { config: envSchema.parse({ name: "shop", secrets: { db: { password: { generate: 16 } } } }), file: join(root, "devenv.ts"), root, namespace: "shop" };
    const e = thrown(() => devSecrets(env, parseManifests(manifests, "k8s/app.yaml"), {}));
    expect(e.exitCode).toBe(2);
    expect(e.message).toMatch(message);
    expect(e.where).toBe(".devenv/secrets/db.json");
    expect(e.hint).toMatch(/delete \.devenv\/secrets\/db\.json to generate new values/);
    expect(printed(e)).not.toContain(V);
    expect(printed(e)).not.toMatch(/SyntaxError|\n\s+at .*\(.*\.[jt]s:\d+:\d+\)/);
  });
});

#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm run build`, which `npm ci` runs through `prepare`).
// In a checkout without dist/, or with DEVENV_FROM_SOURCE=1 (tests), it runs the TypeScript
// sources through tsx instead.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = new URL("../dist/cli/main.js", import.meta.url);
let runAsProgram;
if (existsSync(fileURLToPath(built)) && process.env.DEVENV_FROM_SOURCE !== "1") {
  ({ runAsProgram } = await import(built.href));
} else {
  const { tsImport } = await import("tsx/esm/api");
  ({ runAsProgram } = await tsImport("../src/cli/main.ts", import.meta.url));
}
await runAsProgram(process.argv.slice(2));

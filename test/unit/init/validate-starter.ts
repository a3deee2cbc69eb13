// The init tests' check that a written starter is a valid environment.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { validateEnv } from "../../../src/config/load.js";

/** Writes the starter as `root/devenv.ts` and validates it (the defineEnv call replaced by its object). */
export function validateStarter(root: string, text: string) {
  const file = join(root, "devenv.ts");
  writeFileSync(file, text);
  const obj = new Function(`return ${text.slice(text.indexOf("defineEnv(") + 10, text.lastIndexOf(")"))}`)();
  return validateEnv(obj, file, text);
}

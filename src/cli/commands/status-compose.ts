// `devenv status --target compose`: the compose services, their health, published ports and URLs
// (src/compose/status.ts). Exit 1 when a service failed.
import type { Cli } from "../cli.js";
import type { LoadedEnv } from "../../config/load.js";
import { collectComposeStatus, formatComposeStatus } from "../../compose/status.js";

export async function composeStatus(cli: Cli, env: LoadedEnv): Promise<number> {
  const st = await collectComposeStatus(env);
  const failed = st.services.some((s) => s.state === "failed");
  if (cli.opts.json) cli.out(JSON.stringify({ environment: env.config.name, target: "compose", ...st }, null, 2));
  else for (const line of formatComposeStatus(st, cli.style)) cli.out(line);
  return failed ? 1 : 0;
}

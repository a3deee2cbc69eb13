// `devenv compare-compose` (issue #3).
import type { Command } from "../cli.js";
import { DevenvError } from "../../errors/devenv-error.js";

const cmd: Command = async () => {
  throw new DevenvError("devenv compare-compose: not implemented yet", { hint: "tracked in issue #3" });
};
export default cmd;

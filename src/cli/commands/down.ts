// `devenv down` (issue #6).
import type { Command } from "../cli.js";
import { DevenvError } from "../../errors/devenv-error.js";

const cmd: Command = async () => {
  throw new DevenvError("devenv down: not implemented yet", { hint: "tracked in issue #6" });
};
export default cmd;

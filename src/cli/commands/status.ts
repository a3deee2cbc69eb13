// `devenv status` (issue #4).
import type { Command } from "../cli.js";
import { DevenvError } from "../../errors/devenv-error.js";

const cmd: Command = async () => {
  throw new DevenvError("devenv status: not implemented yet", { hint: "tracked in issue #4" });
};
export default cmd;

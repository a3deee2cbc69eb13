// `devenv init` (issue #2).
import type { Command } from "../cli.js";
import { DevenvError } from "../../errors/devenv-error.js";

const cmd: Command = async () => {
  throw new DevenvError("devenv init: not implemented yet", { hint: "tracked in issue #2" });
};
export default cmd;

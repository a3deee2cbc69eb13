// `devenv seed` (issue #5).
import type { Command } from "../cli.js";
import { DevenvError } from "../../errors/devenv-error.js";

const cmd: Command = async () => {
  throw new DevenvError("devenv seed: not implemented yet", { hint: "tracked in issue #5" });
};
export default cmd;

// `devenv dev`: `up --watch`.
import type { Command } from "../cli.js";
import up, { type UpOptions } from "./up.js";

const dev: Command<UpOptions> = (cli, opts, args) => up(cli, { ...opts, watch: true }, args);
export default dev;

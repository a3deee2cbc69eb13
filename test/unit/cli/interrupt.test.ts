// Ctrl-C and SIGTERM end devenv with the shell's codes and one line saying how to finish; a
// watch takes the signal instead and stops cleanly. `devenv --help | head -1` is not an error.
import { execa } from "execa";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../helpers/cli.js";

const interrupt = fileURLToPath(new URL("../../../src/cli/interrupt.ts", import.meta.url));
const script = (body: string) =>
  `import { installSignalHandlers, setInterruptHint, untilInterrupted } from ${JSON.stringify(interrupt)};
   installSignalHandlers((l) => process.stderr.write(l + "\\n"));
   ${body}
   process.stdout.write("ready\\n");
   setInterval(() => {}, 1000);`;

async function signalled(body: string, signal: "SIGINT" | "SIGTERM") {
  const child = execa("node", ["--import", "tsx", "--input-type=module", "-e", script(body)], { cwd: repoRoot, reject: false });
  await new Promise<void>((resolve) => child.stdout!.on("data", (d: Buffer) => d.toString().includes("ready") && resolve()));
  child.kill(signal);
  const r = await child;
  return { code: r.exitCode, stderr: String(r.stderr) };
}

describe("interrupts", () => {
  it("Ctrl-C exits 130 with one line naming how to finish", async () => {
    const r = await signalled('setInterruptHint("run `devenv up` again: it completes what this one started");', "SIGINT");
    expect(r.code).toBe(130);
    expect(r.stderr.trim()).toBe("interrupted (SIGINT): run `devenv up` again: it completes what this one started");
  });

  it("SIGTERM exits 143", async () => {
    expect((await signalled("", "SIGTERM")).code).toBe(143);
  });

  it("a watch takes the signal and ends on its own terms", async () => {
    const r = await signalled('untilInterrupted().then((s) => { process.stderr.write("stopped on " + s + "\\n"); process.exit(0); });', "SIGINT");
    expect(r).toEqual({ code: 0, stderr: "stopped on SIGINT" });
  });

  it("`devenv --help | head -1` exits 0 without a stack trace", async () => {
    const bin = fileURLToPath(new URL("../../../bin/devenv.js", import.meta.url));
    const r = await execa("sh", ["-c", `node ${bin} --help | head -1; exit \${PIPESTATUS:-0}`], { cwd: repoRoot, env: { DEVENV_FROM_SOURCE: "1" }, reject: false, shell: false });
    expect(r.stdout).toBe("Usage: devenv [options] [command]");
    expect(r.stderr).toBe("");
  });
});
